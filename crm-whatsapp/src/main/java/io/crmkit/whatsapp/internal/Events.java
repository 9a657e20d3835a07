package io.crmkit.whatsapp.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.whatsapp.WhatsAppEvent;
import io.crmkit.whatsapp.WhatsAppListener;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes WhatsApp events to the outbox in the causing transaction, and tells listeners after its commit. */
public final class Events {
  private static final Logger log = LoggerFactory.getLogger(Events.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<WhatsAppListener> listeners;

  /** Events told to these listeners. */
  public Events(List<WhatsAppListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /**
   * Appends an event to the conversation's sequence (taking the conversation's row lock, if the
   * transaction does not hold it already) and to the outbox.
   */
  public void append(TenantTransaction tx, UUID conversationId, String type, Map<String, Object> payload)
      throws SQLException {
    WhatsAppEvent event;
    try (PreparedStatement ps = tx.connection().prepareStatement("with next as (update "
        + tx.table("conversations") + " set event_seq = event_seq + 1 where organization_id = ? and id = ?"
        + " returning event_seq) insert into " + tx.table("whatsapp_events") + " (organization_id, conversation_id,"
        + " seq, event_type, payload) select ?, ?, next.event_seq, ?, ?::jsonb from next returning id, seq, created_at")) {
      ps.setObject(1, tx.organizationId());
      ps.setObject(2, conversationId);
      ps.setObject(3, tx.organizationId());
      ps.setObject(4, conversationId);
      ps.setString(5, type);
      ps.setString(6, JSON.writeValueAsString(payload));
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return;
        }
        event = new WhatsAppEvent(tx.organizationId(), rs.getObject(1, UUID.class), conversationId, rs.getLong(2), type,
            payload, rs.getObject(3, OffsetDateTime.class).toInstant());
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("an event payload that is not JSON", e);
    }
    if (!listeners.isEmpty()) {
      tx.afterCommit(() -> {
        for (WhatsAppListener listener : listeners) {
          try {
            listener.onEvent(event);
          } catch (RuntimeException e) {
            log.warn("a WhatsApp listener failed on event {} ({}); the transaction stays committed", event.id(),
                event.type(), e);
          }
        }
      });
    }
  }
}
