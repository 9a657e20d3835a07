package io.crmkit.whatsapp.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a system message says changed: a new phone ({@code user_changed_number}, which also gives
 * the user a new business-scoped id) or a new business-scoped id ({@code user_changed_user_id}).
 *
 * @param kind the system message's type
 * @param previousUserId the business-scoped id before the change, if WhatsApp gave it
 * @param newUserId the business-scoped id after the change, if WhatsApp gave it
 * @param newPhone the phone after the change, for a changed number
 */
record IdentityChange(String kind, String previousUserId, String newUserId, String newPhone) {

  /** The change a {@code system} message tells. */
  static IdentityChange of(JsonNode message) {
    JsonNode system = message.path("system");
    String kind = system.path("type").asText("");
    String previous = Identities.bsuid(Identities.text(system, "previous_user_id").orElse(null));
    // The new id is named in the notice; the message's sender id counts as new only when the
    // notice also names the old one (otherwise it is the id the contact is known by).
    String next = Identities.bsuid(Identities.text(system, "user_id").orElse(null));
    if (next == null && previous != null) {
      next = Identities.bsuid(Identities.text(message, "from_user_id").orElse(null));
    }
    if (next != null && next.equals(previous)) {
      next = null;
    }
    boolean numberChanged = kind.equals("user_changed_number") || kind.equals("customer_changed_number");
    return new IdentityChange(kind, previous, next,
        numberChanged ? Identities.phone(Identities.text(system, "wa_id").orElse(null)) : null);
  }
}
