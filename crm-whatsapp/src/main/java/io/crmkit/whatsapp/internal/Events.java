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
    write(tx, "with next as (update " + tx.table("conversations") + " set event_seq = event_seq + 1"
        + " where organization_id = ? and id = ? returning profile_id, id, event_seq)", conversationId, type, payload);
  }

  /**
   * Appends an event of the profile itself, with no conversation ({@code profile_disconnected}), to
   * the profile's sequence (taking the profile's row lock) and to the outbox.
   */
  public void appendForProfile(TenantTransaction tx, UUID profileId, String type, Map<String, Object> payload)
      throws SQLException {
    write(tx, "with next as (update " + tx.table("whatsapp_profiles") + " set event_seq = event_seq + 1"
        + " where organization_id = ? and id = ? returning id as profile_id, null::uuid as id, event_seq)", profileId,
        type, payload);
  }

  /** {@code next} numbers the event in its stream and gives its profile and conversation. */
  private void write(TenantTransaction tx, String next, UUID streamId, String type, Map<String, Object> payload)
      throws SQLException {
    WhatsAppEvent event;
    try (PreparedStatement ps = tx.connection().prepareStatement(next + " insert into " + tx.table("whatsapp_events")
        + " (organization_id, profile_id, conversation_id, seq, event_type, payload) select ?, next.profile_id,"
        + " next.id, next.event_seq, ?, ?::jsonb from next returning id, profile_id, conversation_id, seq,"
        + " created_at")) {
      ps.setObject(1, tx.organizationId());
      ps.setObject(2, streamId);
      ps.setObject(3, tx.organizationId());
      ps.setString(4, type);
      ps.setString(5, JSON.writeValueAsString(payload));
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return;
        }
        event = new WhatsAppEvent(tx.organizationId(), rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
            java.util.Optional.ofNullable(rs.getObject(3, UUID.class)), rs.getLong(4), type, payload,
            rs.getObject(5, OffsetDateTime.class).toInstant());
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
