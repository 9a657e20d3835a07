package io.crmkit.whatsapp.internal;

import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.whatsapp.WhatsAppEvent;
import io.crmkit.whatsapp.WhatsAppListener;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes WhatsApp events to the outbox in the causing transaction, and tells listeners after its commit. */
final class Events {
  private static final Logger log = LoggerFactory.getLogger(Events.class);
  private final List<WhatsAppListener> listeners;

  /** Events told to these listeners. */
  Events(List<WhatsAppListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /**
   * Appends an event to the conversation's sequence (taking the conversation's row lock, if the
   * transaction does not hold it already) and to the outbox.
   */
  void append(TenantTransaction tx, UUID conversationId, EventCodec.Body body) {
    tell(tx, tx.mapper(EventMapper.class).appendToConversation(tx.organizationId(), conversationId, body.type(),
        body.payload()));
  }

  /**
   * Appends an event of the profile itself, with no conversation ({@code profile_disconnected}), to
   * the profile's sequence (taking the profile's row lock) and to the outbox.
   */
  void appendForProfile(TenantTransaction tx, UUID profileId, EventCodec.Body body) {
    tell(tx, tx.mapper(EventMapper.class).appendToProfile(tx.organizationId(), profileId, body.type(),
        body.payload()));
  }

  /** After the commit, the written row as the listeners' typed event (decoded as the outbox decodes it). */
  private void tell(TenantTransaction tx, EventRow written) {
    if (written == null || listeners.isEmpty()) {
      return;
    }
    WhatsAppEvent event = EventCodec.decode(written);
    tx.afterCommit(() -> {
      for (WhatsAppListener listener : listeners) {
        try {
          listener.onEvent(event);
        } catch (RuntimeException e) {
          log.warn("a WhatsApp listener failed on event {} ({}); the transaction stays committed", event.id(),
              event.getClass().getSimpleName(), e);
        }
      }
    });
  }
}
