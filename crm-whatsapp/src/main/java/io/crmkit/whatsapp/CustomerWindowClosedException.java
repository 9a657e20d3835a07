package io.crmkit.whatsapp;

import io.crmkit.core.exception.CrmException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A free-form message was refused because the user last wrote more than 24 hours ago (or never):
 * WhatsApp delivers only approved templates then. Nothing was stored or sent.
 */
public final class CustomerWindowClosedException extends CrmException {
  private final UUID conversationId;
  private final transient Optional<Instant> lastInboundAt;

  /** Creates the exception. */
  public CustomerWindowClosedException(UUID conversationId, Optional<Instant> lastInboundAt) {
    super("conversation " + conversationId + ": the user last wrote "
        + lastInboundAt.map(Instant::toString).orElse("never") + "; outside the 24-hour window only a template can"
        + " be sent");
    this.conversationId = conversationId;
    this.lastInboundAt = lastInboundAt;
  }

  /** The conversation. */
  public UUID conversationId() {
    return conversationId;
  }

  /** When the user last wrote, if ever. */
  public Optional<Instant> lastInboundAt() {
    return lastInboundAt;
  }
}
