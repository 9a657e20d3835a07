package io.crmkit.whatsapp.internal;

import io.crmkit.core.Crm;
import io.crmkit.core.spi.CrossTenantTransaction;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.whatsapp.WhatsAppEvent;
import io.crmkit.whatsapp.WhatsAppOutbox;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link WhatsAppOutbox} through the cross-tenant claim_whatsapp_event_runs and ack_whatsapp_events. */
final class SqlWhatsAppOutbox implements WhatsAppOutbox {
  private static final Logger log = LoggerFactory.getLogger(SqlWhatsAppOutbox.class);
  private final Crm crm;

  /** The outbox of {@code crm}'s tenants. */
  SqlWhatsAppOutbox(Crm crm) {
    this.crm = crm;
  }

  @Override
  public int drain(int max, Handler handler) {
    Objects.requireNonNull(handler, "handler");
    Inputs.pageSize("max", max, 1000);
    // This drain's own claim: it acknowledges only what it claimed under it.
    UUID claim = UUID.randomUUID();
    return TenantWork.crossTenant(crm, tx -> {
      List<EventRow> claimed = tx.mapper(EventMapper.class).claimRuns(max, claim);
      List<EventRow> handled = new ArrayList<>();
      List<EventRow> failed = new ArrayList<>();
      // The claim gives each conversation's (or profile's own) events as a run in seq order; a
      // failure ends its run.
      Set<UUID> stopped = new HashSet<>();
      for (EventRow row : claimed) {
        UUID stream = row.conversationId() != null ? row.conversationId() : row.profileId();
        if (stopped.contains(stream)) {
          continue;
        }
        try {
          WhatsAppEvent event = EventCodec.decode(row);
          handler.handle(event);
          handled.add(row);
        } catch (Exception e) {
          log.warn("outbox event {} ({}) not handled; it and its conversation's later events stay for a later drain",
              row.id(), row.eventType(), e);
          failed.add(row);
          stopped.add(stream);
        }
      }
      ack(tx, claim, handled, true);
      ack(tx, claim, failed, false);
      return handled.size();
    });
  }

  private static void ack(CrossTenantTransaction tx, UUID claim, List<EventRow> events, boolean handled) {
    if (events.isEmpty()) {
      return;
    }
    tx.mapper(EventMapper.class).ack(claim, events.stream().map(e -> e.organizationId().toString()).toList(),
        events.stream().map(e -> e.id().toString()).toList(), handled);
  }
}
