package io.crmkit.whatsapp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** How a webhook names a WhatsApp user: a business-scoped user id, a phone, a non-blank text field. */
final class Identities {
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

  /** At most {@code max} characters of {@code value} (null stays null). */
  static String cut(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }
}
