package io.crmkit.core.internal;

import io.crmkit.core.Page;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.exception.ValidationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Customer search through the owner-defined {@code search_customers}: first the customers whose
 * text contains the query (tier 0), then those with a word spelled close to it (tier 1, by
 * similarity), each tier newest first.
 */
final class CustomerSearch {
  private final CustomerActor actor;

  CustomerSearch(CustomerActor actor) {
    this.actor = actor;
  }

  Page<Customer> search(String query, int limit, Optional<String> cursor) {
    if (query == null || query.isBlank() || query.length() > 200) {
      throw new ValidationException("query", "must be 1 to 200 characters, not blank");
    }
    KeysetPage.size(limit);
    SearchCursor after = Objects.requireNonNull(cursor, "cursor").map(SearchCursor::decode).orElse(null);
    return actor.call(tx -> {
      List<Rows.CustomerRow> rows = tx.mapper(CustomerMapper.class).search(query.strip(),
          after == null ? null : after.tier, after == null ? null : after.score, after == null ? null : after.at,
          after == null ? null : after.id, limit + 1);
      return KeysetPage.of(rows, limit, Rows.CustomerRow::toCustomer,
          last -> new SearchCursor(last.matchTier, last.matchScore, last.createdAt, last.id).encode());
    });
  }

  /**
   * An opaque search position: the last item's tier (0 contains the query, 1 spelled close to it),
   * its score in tier 1, and its (created_at, id).
   */
  private record SearchCursor(int tier, Float score, Instant at, UUID id) {
    String encode() {
      String raw = "s1:" + tier + ":" + (score == null ? "" : Float.toString(score)) + ":" + at.getEpochSecond() + ":"
          + at.getNano() + ":" + id;
      return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static SearchCursor decode(String token) {
      try {
        String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":", -1);
        if (parts.length != 6 || !parts[0].equals("s1")) {
          throw new IllegalArgumentException("shape");
        }
        int tier = Integer.parseInt(parts[1]);
        Float score = parts[2].isEmpty() ? null : Float.valueOf(parts[2]);
        if (tier == 0 ? score != null : tier != 1 || score == null || !(score >= 0f && score <= 1f)) {
          throw new IllegalArgumentException("tier");
        }
        Instant at = Instant.ofEpochSecond(Long.parseLong(parts[3]), Long.parseLong(parts[4]));
        if (at.isBefore(Instant.EPOCH) || at.isAfter(Instant.parse("9999-12-31T00:00:00Z"))) {
          throw new IllegalArgumentException("range");
        }
        return new SearchCursor(tier, score, at, UUID.fromString(parts[5]));
      } catch (RuntimeException e) {
        throw new ValidationException("cursor", "is not a cursor this search returned");
      }
    }
  }
}
