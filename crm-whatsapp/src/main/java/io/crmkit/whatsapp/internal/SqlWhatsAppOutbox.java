package io.crmkit.whatsapp.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmkit.core.Crm;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.CrossTenantTransaction;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.whatsapp.WhatsAppEvent;
import io.crmkit.whatsapp.WhatsAppOutbox;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link WhatsAppOutbox} through the cross-tenant claim_whatsapp_event_runs and ack_whatsapp_events. */
public final class SqlWhatsAppOutbox implements WhatsAppOutbox {
  private static final Logger log = LoggerFactory.getLogger(SqlWhatsAppOutbox.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Crm crm;

  /** The outbox of {@code crm}'s tenants. */
  public SqlWhatsAppOutbox(Crm crm) {
    this.crm = crm;
  }

  @Override
  public int drain(int max, Handler handler) {
    Objects.requireNonNull(handler, "handler");
    if (max < 1 || max > 1000) {
      throw new ValidationException("max", "must be 1 to 1000");
    }
    // This drain's own claim: it acknowledges only what it claimed under it.
    UUID claim = UUID.randomUUID();
    return TenantWork.crossTenant(crm, tx -> {
      List<WhatsAppEvent> claimed = new ArrayList<>();
      try (PreparedStatement ps = tx.connection().prepareStatement("select organization_id, id, profile_id,"
          + " conversation_id, seq, event_type, payload::text, created_at from "
          + tx.table("claim_whatsapp_event_runs") + "(?, ?)")) {
        ps.setInt(1, max);
        ps.setObject(2, claim);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Map<String, Object> payload;
            try {
              payload = JSON.readValue(rs.getString(7), new TypeReference<Map<String, Object>>() {});
            } catch (IOException e) {
              throw new SQLException("an outbox payload is not a JSON object", e);
            }
            claimed.add(new WhatsAppEvent(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                rs.getObject(3, UUID.class), java.util.Optional.ofNullable(rs.getObject(4, UUID.class)), rs.getLong(5),
                rs.getString(6), payload, rs.getObject(8, OffsetDateTime.class).toInstant()));
          }
        }
      }
      List<WhatsAppEvent> handled = new ArrayList<>();
      List<WhatsAppEvent> failed = new ArrayList<>();
      // The claim gives each conversation's (or profile's own) events as a run in seq order; a
      // failure ends its run.
      java.util.Set<UUID> stopped = new java.util.HashSet<>();
      for (WhatsAppEvent event : claimed) {
        if (stopped.contains(stream(event))) {
          continue;
        }
        try {
          handler.handle(event);
          handled.add(event);
        } catch (Exception e) {
          log.warn("outbox event {} ({}) not handled; it and its conversation's later events stay for a later drain",
              event.id(), event.type(), e);
          failed.add(event);
          stopped.add(stream(event));
        }
      }
      ack(tx, claim, handled, true);
      ack(tx, claim, failed, false);
      return handled.size();
    });
  }

  /** The sequence an event is ordered in: its conversation's, or its profile's own. */
  private static UUID stream(WhatsAppEvent event) {
    return event.conversationId().orElse(event.profileId());
  }

  private static void ack(CrossTenantTransaction tx, UUID claim, List<WhatsAppEvent> events, boolean handled)
      throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    java.sql.Connection c = tx.connection();
    try (PreparedStatement ps = c.prepareStatement("select " + tx.table("ack_whatsapp_events") + "(?, ?, ?, ?)")) {
      ps.setObject(1, claim);
      ps.setArray(2, c.createArrayOf("uuid", events.stream().map(WhatsAppEvent::organizationId).toArray()));
      ps.setArray(3, c.createArrayOf("uuid", events.stream().map(WhatsAppEvent::id).toArray()));
      ps.setBoolean(4, handled);
      ps.executeQuery().close();
    }
  }
}
