package io.crmkit.whatsapp.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A delivery status of a message a module sent with its own tag.
 *
 * @param profileId the tenant's WhatsApp profile the status came for
 * @param tag the message's callback tag, as sent
 * @param waMessageId WhatsApp's id for the message
 * @param state {@code sent}, {@code delivered}, {@code read} or {@code failed}
 * @param at when WhatsApp says it happened
 * @param errorCode a failure's code
 * @param errorTitle a failure's title
 */
public record TaggedStatus(UUID profileId, String tag, String waMessageId, String state, Instant at,
    Optional<Integer> errorCode, Optional<String> errorTitle) {
  /** Creates the status. */
  public TaggedStatus {
    Objects.requireNonNull(profileId, "profileId");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(waMessageId, "waMessageId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(errorCode, "errorCode");
    Objects.requireNonNull(errorTitle, "errorTitle");
  }
}
