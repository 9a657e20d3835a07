package io.crmkit.core.spi;

import io.crmkit.core.Page;
import io.crmkit.core.exception.ValidationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
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
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  /** Creates the position. */
  public Keyset {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(id, "id");
  }

  /** The position as a cursor. */
  public String encode() {
    String raw = "w1:" + at.getEpochSecond() + ":" + at.getNano() + ":" + id;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The position a cursor encodes.
   *
   * @throws ValidationException naming {@code cursor} if it is not one {@link #encode} made
   */
  public static Keyset decode(String cursor) {
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
      if (parts.length != 4 || !parts[0].equals("w1")) {
        throw new IllegalArgumentException("shape");
      }
      Instant at = Instant.ofEpochSecond(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
      // Within what a timestamptz holds, so a crafted cursor never reaches SQL.
      if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
        throw new IllegalArgumentException("range");
      }
      return new Keyset(at, UUID.fromString(parts[3]));
    } catch (RuntimeException e) {
      throw new ValidationException("cursor", "is not a cursor this list returned");
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
