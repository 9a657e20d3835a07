package io.crmkit.whatsapp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.core.spi.Inputs;
import java.util.Optional;
import java.util.regex.Pattern;

/** How a webhook names a WhatsApp user: a business-scoped user id, a phone, a non-blank text field. */
final class Identities {
  private static final Pattern LINE_BREAKS = Pattern.compile("[\\t\\r\\n]+");

  private Identities() {}

  /** A business-scoped user id as WhatsApp writes it ({@code SA.1234…}), or null. */
  static String bsuid(String value) {
    return value != null && value.matches("[A-Z]{2}\\.[A-Za-z0-9.]{1,140}") ? value : null;
  }

  /**
   * A wa_id (digits, no '+') as E.164, or null: the number is international as it stands, never
   * read in the tenant's region.
   */
  static String phone(String digits) {
    return digits != null && digits.matches("[1-9][0-9]{6,14}") ? "+" + digits : null;
  }

  /** A text field that is there and not blank. */
  static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText()) : Optional.empty();
  }

  /**
   * Text from outside as one line of at most {@code max} characters (a profile name, a username):
   * cleaned as {@link Inputs#outsideText} cleans it, tabs and line breaks made spaces, trimmed, cut
   * never between the halves of a surrogate pair; null if nothing is left (or it was null).
   */
  static String line(String value, int max) {
    if (value == null) {
      return null;
    }
    String line = LINE_BREAKS.matcher(Inputs.outsideText(value)).replaceAll(" ").strip();
    line = cut(line, max).strip();
    return line.isEmpty() ? null : line;
  }

  /** At most {@code max} characters of {@code value}, never half a surrogate pair (null stays null). */
  static String cut(String value, int max) {
    if (value == null || value.length() <= max) {
      return value;
    }
    return value.substring(0, Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max);
  }
}
