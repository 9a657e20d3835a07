package io.crmkit.whatsapp.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A user stopping or resuming a business's marketing messages in WhatsApp itself (Meta's
 * {@code user_preferences} webhook, category {@code marketing_messages}).
 *
 * @param profileId the tenant's WhatsApp profile whose number the user acted on
 * @param phone the user's phone in E.164, if WhatsApp gave it
 * @param userId the user's business-scoped user id, if WhatsApp gave it
 * @param stopped true for stop, false for resume
 * @param at when WhatsApp says the user did so
 */
public record MarketingPreference(UUID profileId, Optional<String> phone, Optional<String> userId, boolean stopped,
    Instant at) {
  /** Creates the preference; a phone or a user id is given. */
  public MarketingPreference {
    Objects.requireNonNull(profileId, "profileId");
    Objects.requireNonNull(phone, "phone");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(at, "at");
    if (phone.isEmpty() && userId.isEmpty()) {
      throw new IllegalArgumentException("a phone or a user id");
    }
  }
}
