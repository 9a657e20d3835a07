package io.crmkit.core.spi;

import io.crmkit.core.Page;
import io.crmkit.core.exception.ValidationException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * A keyset position for a module's list ordered by a time and an id, as the opaque cursor of a
 * {@link Page}: query one row more than the page's limit after the position, then {@link #page}.
 *
 * @param at the time of the last row of the previous page
 * @param id its id, which breaks ties
 */
public record Keyset(Instant at, UUID id) {
  private static final String KIND = "keyset.v1";
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  /** Creates the position. */
  public Keyset {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(id, "id");
  }

  /** The position as a cursor. */
  public String encode() {
    return Cursor.encode(KIND, List.of(Long.toString(at.getEpochSecond()), Integer.toString(at.getNano()),
        id.toString()));
  }

  /**
   * The position a cursor encodes.
   *
   * @throws ValidationException naming {@code cursor} if it is not one {@link #encode} made
   */
  public static Keyset decode(String cursor) {
    List<String> parts = Cursor.decode(cursor, KIND, 3);
    try {
      Instant at = Instant.ofEpochSecond(Long.parseLong(parts.get(0)), Long.parseLong(parts.get(1)));
      // Within what a timestamptz holds, so a crafted cursor never reaches SQL.
      if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
        throw Cursor.refused();
      }
      return new Keyset(at, UUID.fromString(parts.get(2)));
    } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
      throw Cursor.refused();
    }
  }

  /**
   * The page of {@code rows}, which were queried with {@code limit + 1}: the first {@code limit},
   * and a cursor after the last of them if there was one more.
   */
  public static <T> Page<T> page(List<T> rows, int limit, Function<T, Keyset> keyOf) {
    List<T> items = rows.size() > limit ? rows.subList(0, limit) : rows;
    Optional<String> next = rows.size() > limit ? Optional.of(keyOf.apply(items.get(limit - 1)).encode())
        : Optional.empty();
    return new Page<>(List.copyOf(items), next);
  }
}
