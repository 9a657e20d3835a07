package io.crmkit.whatsapp.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A text a user wrote (a text message, or a button or list reply's title).
 *
 * @param profileId the tenant's WhatsApp profile it came to
 * @param phone the user's phone in E.164, if WhatsApp gave it
 * @param userId the user's business-scoped user id, if WhatsApp gave it
 * @param customerId the customer the conversation is linked to, if any
 * @param body the text, cleaned as text from outside is
 * @param at when WhatsApp says it was sent
 */
public record InboundText(UUID profileId, Optional<String> phone, Optional<String> userId, Optional<UUID> customerId,
    String body, Instant at) {
  /** Creates the text. */
  public InboundText {
    Objects.requireNonNull(profileId, "profileId");
    Objects.requireNonNull(phone, "phone");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(at, "at");
  }
}
