package io.crmkit.core.spi;

import io.crmkit.core.exception.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The one codec of the opaque cursors every list returns ({@code Page.nextCursor()}): a kind (which
 * list and order it belongs to, with a version) and the position's parts, as URL-safe Base64. A
 * cursor is not a secret and not signed: whoever decodes one checks each part for its type before
 * any SQL, so a crafted cursor is a {@link ValidationException} on {@code cursor}, never a
 * database error. {@link Keyset} is the common (time, id) position built on it.
 */
public final class Cursor {
  private static final char SEPARATOR = '\n';

  private Cursor() {}

  /** The cursor of {@code kind} (e.g. {@code "customers.list.v1"}) with {@code parts}, none holding a newline. */
  public static String encode(String kind, List<String> parts) {
    StringBuilder raw = new StringBuilder(Objects.requireNonNull(kind, "kind"));
    for (String part : parts) {
      if (part.indexOf(SEPARATOR) >= 0) {
        throw new IllegalArgumentException("a cursor part holds no newline");
      }
      raw.append(SEPARATOR).append(part);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The {@code count} parts of a cursor of {@code kind}.
   *
   * @throws ValidationException on {@code cursor} if it is not a cursor of that kind
   */
  public static List<String> decode(String cursor, String kind, int count) {
    Objects.requireNonNull(kind, "kind");
    try {
      String raw = new String(Base64.getUrlDecoder().decode(Objects.requireNonNull(cursor, "cursor")),
          StandardCharsets.UTF_8);
      List<String> parts = Arrays.asList(raw.split(String.valueOf(SEPARATOR), -1));
      if (parts.size() != count + 1 || !parts.get(0).equals(kind)) {
        throw refused();
      }
      return List.copyOf(parts.subList(1, parts.size()));
    } catch (IllegalArgumentException e) {
      throw refused();
    }
  }

  /** The exception for a cursor that is not one the list returned (a part that does not parse, say). */
  public static ValidationException refused() {
    return new ValidationException("cursor", "is not a cursor this list returned");
  }
}
