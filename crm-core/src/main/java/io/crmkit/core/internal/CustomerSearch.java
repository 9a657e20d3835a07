package io.crmkit.core.internal;

import io.crmkit.core.Page;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Cursor;
import io.crmkit.core.spi.Inputs;
import java.time.Instant;
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
  /** The longest query searched for, and the longest text a list filters by. */
  static final int MAX_QUERY = 200;

  private final CustomerActor actor;

  CustomerSearch(CustomerActor actor) {
    this.actor = actor;
  }

  Page<Customer> search(String query, int limit, Optional<String> cursor) {
    String text = Inputs.text("query", query, MAX_QUERY);
    KeysetPage.size(limit);
    SearchCursor after = Objects.requireNonNull(cursor, "cursor").map(SearchCursor::decode).orElse(null);
    return actor.call(tx -> {
      List<Rows.CustomerRow> rows = tx.mapper(CustomerMapper.class).search(text,
          after == null ? null : after.tier, after == null ? null : after.score, after == null ? null : after.at,
          after == null ? null : after.id, limit + 1);
      return KeysetPage.of(rows, limit, Rows.CustomerRow::toCustomer,
          last -> new SearchCursor(last.matchTier, last.matchScore, last.createdAt, last.id).encode());
    });
  }

  /**
   * A search position, as a {@link Cursor}: the last item's tier (0 contains the query, 1 spelled
   * close to it), its score in tier 1, and its (created_at, id); each part checked for its type
   * and range before any SQL.
   */
  private record SearchCursor(int tier, Float score, Instant at, UUID id) {
    private static final String KIND = "customers.search.v1";
    private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

    String encode() {
      return Cursor.encode(KIND, List.of(Integer.toString(tier), score == null ? "" : Float.toString(score),
          Long.toString(at.getEpochSecond()), Integer.toString(at.getNano()), id.toString()));
    }

    static SearchCursor decode(String token) {
      try {
        List<String> parts = Cursor.decode(token, KIND, 5);
        int tier = Integer.parseInt(parts.get(0));
        Float score = parts.get(1).isEmpty() ? null : Float.valueOf(parts.get(1));
        if (tier == 0 ? score != null : tier != 1 || score == null || !(score >= 0f && score <= 1f)) {
          throw new IllegalArgumentException("tier");
        }
        Instant at = Instant.ofEpochSecond(Long.parseLong(parts.get(2)), Long.parseLong(parts.get(3)));
        if (at.isBefore(Instant.EPOCH) || at.isAfter(LATEST)) {
          throw new IllegalArgumentException("range");
        }
        return new SearchCursor(tier, score, at, UUID.fromString(parts.get(4)));
      } catch (RuntimeException e) {
        // Cursor's own refusal included: the reason names the search.
        throw new ValidationException("cursor", "is not a cursor this search returned");
      }
    }
  }
}
