package io.crmkit.core.internal;

import io.crmkit.core.Page;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerQuery;
import io.crmkit.core.customers.CustomerSort;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Cursor;
import io.crmkit.core.spi.Inputs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Customer lists through the owner-defined {@code list_customers}: filters, one of the sorts, and
 * a keyset cursor on (sort value, id) that belongs to its order.
 */
final class CustomerList {
  private final CustomerActor actor;

  CustomerList(CustomerActor actor) {
    this.actor = actor;
  }

  Page<Customer> list(CustomerQuery query, int limit, Optional<String> cursor) {
    Objects.requireNonNull(query, "query");
    KeysetPage.size(limit);
    String text = query.text().map(q -> Inputs.text("text", q, CustomerSearch.MAX_QUERY)).orElse(null);
    List<String> tagsAny = query.tagsAny().isEmpty() ? null : CustomerFields.tags(query.tagsAny());
    List<String> tagsAll = query.tagsAll().isEmpty() ? null : CustomerFields.tags(query.tagsAll());
    String fieldValue = query.customFieldKey()
        .map(key -> CustomerFields.customFieldFilter(key, query.customFieldValue().orElseThrow())).orElse(null);
    for (Optional<Instant> bound : List.of(query.createdFrom(), query.createdBefore())) {
      if (bound.isPresent() && (bound.get().isBefore(Instant.EPOCH)
          || bound.get().isAfter(Instant.parse("9999-12-31T00:00:00Z")))) {
        throw new ValidationException("createdBetween", "must be between 1970 and 9999");
      }
    }
    ListCursor after = Objects.requireNonNull(cursor, "cursor").map(ListCursor::decode).orElse(null);
    if (after != null && (!after.sort.equals(query.sort().key()) || after.descending != query.descending())) {
      throw new ValidationException("cursor", "belongs to a list in another order");
    }
    return actor.call(tx -> {
      List<Rows.CustomerRow> rows = tx.mapper(CustomerMapper.class).list(text, query.stageId().orElse(null),
          query.assignedTo().orElse(null), tagsAny, tagsAll,
          query.source().map(src -> src.name().toLowerCase(Locale.ROOT)).orElse(null),
          query.createdFrom().orElse(null), query.createdBefore().orElse(null), query.customFieldKey().orElse(null),
          fieldValue, query.sort().key(), query.descending(), after == null ? null : after.key,
          after == null ? null : after.id, limit + 1);
      return KeysetPage.of(rows, limit, Rows.CustomerRow::toCustomer,
          last -> new ListCursor(query.sort().key(), query.descending(), sortKey(query.sort(), last), last.id).encode());
    });
  }

  /** The row's value of the sort column, as text the database casts back exactly. */
  private static String sortKey(CustomerSort sort, Rows.CustomerRow row) {
    return switch (sort) {
      case CREATED -> row.createdAt.toString();
      case UPDATED -> row.updatedAt.toString();
      case NAME -> row.nameSort;
      case LEAD_SCORE -> Integer.toString(row.leadScore);
      case VALUE -> Long.toString(row.estimatedValueMinor);
    };
  }

  /**
   * A list position, as a {@link Cursor}: the order it belongs to, the last row's id and its sort
   * value. The value travels Base64-encoded, as a name may hold any character, a newline included.
   */
  private record ListCursor(String sort, boolean descending, String key, UUID id) {
    private static final String KIND = "customers.list.v1";
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    String encode() {
      return Cursor.encode(KIND, List.of(sort, Boolean.toString(descending), id.toString(),
          Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8))));
    }

    static ListCursor decode(String token) {
      List<String> parts = Cursor.decode(token, KIND, 4);
      try {
        String sort = parts.get(0);
        if (!parts.get(1).equals("true") && !parts.get(1).equals("false")) {
          throw new IllegalArgumentException("descending");
        }
        String key = new String(Base64.getUrlDecoder().decode(parts.get(3)), StandardCharsets.UTF_8);
        return new ListCursor(sort, Boolean.parseBoolean(parts.get(1)), key(sort, key), UUID.fromString(parts.get(2)));
      } catch (RuntimeException e) {
        throw Cursor.refused();
      }
    }

    /**
     * The key as {@link #sortKey} writes it for the sort, which the database casts back exactly;
     * anything else (a crafted cursor) is refused here, before any SQL.
     */
    private static String key(String sort, String key) {
      switch (sort) {
        case "created", "updated" -> {
          Instant at = Instant.parse(key);
          if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw new IllegalArgumentException("range");
          }
          return at.toString();
        }
        case "lead_score" -> {
          return Integer.toString(Integer.parseInt(key));
        }
        case "value" -> {
          return Long.toString(Long.parseLong(key));
        }
        case "name" -> {
          if (key.length() > 1000 || key.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("name");
          }
          return key;
        }
        default -> throw new IllegalArgumentException("sort");
      }
    }
  }
}
