package io.crmkit.ticketing.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.core.Change;
import io.crmkit.core.TenantScope;
import io.crmkit.core.spi.Json;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.ticketing.SlaTarget;
import io.crmkit.ticketing.Ticket;
import io.crmkit.ticketing.TicketPriority;
import io.crmkit.ticketing.TicketType;
import io.crmkit.ticketing.TicketUpdate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A ticket's partial update: each {@link Change} checked as on open, applied to the ticket locked
 * at the expected version, and only what really differs written, in one statement that also
 * re-times the SLA clocks when the priority changes; the customer's timeline names the fields.
 */
final class TicketEdits {
  private TicketEdits() {}

  static Ticket update(TenantScope scope, UUID ticketId, long expectedVersion, TicketUpdate update) {
    Objects.requireNonNull(ticketId, "ticketId");
    Objects.requireNonNull(update, "update");
    TicketInputs.expectedVersion(expectedVersion);
    Change<String> title = update.title().map(TicketInputs::title);
    Change<String> description = description(update.description());
    Change<List<String>> tags = update.tags().map(TicketInputs::tags);
    Change<JsonNode> customFields = update.customFields().map(TicketInputs::customFields);
    return TenantWork.call(scope, tx -> {
      tx.requireRoleUnlessSystem("tickets.update", Tickets.AGENTS);
      Ticket ticket = Tickets.locked(tx, ticketId, expectedVersion);
      if (update.isEmpty()) {
        return ticket;
      }
      if (update.assignee() instanceof Change.To<UUID> assignee) {
        Tickets.requireActiveMember(tx, assignee.value());
      }
      Map<String, Object> changed = new LinkedHashMap<>();
      String newTitle = changed(title.applyTo(Optional.of(ticket.title())).orElseThrow(), ticket.title());
      if (newTitle != null) {
        changed.put("title", newTitle);
      }
      Optional<String> newDescription = description.applyTo(ticket.description());
      boolean setsDescription = !newDescription.equals(ticket.description());
      if (setsDescription) {
        changed.put("description", newDescription.isPresent() ? "set" : "cleared");
      }
      TicketType newType = changed(update.type().applyTo(Optional.of(ticket.type())).orElseThrow(), ticket.type());
      if (newType != null) {
        changed.put("type", newType.databaseName());
      }
      Optional<UUID> newAssignee = update.assignee().applyTo(ticket.assignedTo());
      boolean setsAssignee = !newAssignee.equals(ticket.assignedTo());
      if (setsAssignee) {
        changed.put("assigned_to", newAssignee.map(UUID::toString).orElse(""));
      }
      List<String> newTags = changed(tags.applyTo(Optional.of(ticket.tags())).orElse(List.of()), ticket.tags());
      if (newTags != null) {
        changed.put("tags", String.join(",", newTags));
      }
      // Custom fields set are written even when equal: the host said to replace them.
      JsonNode newFields = customFields.changes()
          ? customFields.applyTo(Optional.empty()).orElseGet(Json.MAPPER::createObjectNode) : null;
      if (newFields != null) {
        changed.put("custom_fields", "set");
      }
      TicketPriority newPriority = changed(update.priority().applyTo(Optional.of(ticket.priority())).orElseThrow(),
          ticket.priority());
      SlaTarget target = null;
      if (newPriority != null) {
        // The due times follow the new priority's targets, from when each clock started.
        target = TicketSettingsStore.OpenContext.read(tx, newPriority).target();
        changed.put("priority", newPriority.databaseName());
      }
      if (changed.isEmpty()) {
        return ticket;
      }
      Ticket edited = tx.mapper(TicketMapper.class).edit(new TicketMapper.Edit(tx.organizationId(), ticketId, newTitle,
          setsDescription, newDescription.orElse(null), newType, setsAssignee, newAssignee.orElse(null), newTags,
          newFields, newPriority, target == null ? null : TicketSlas.minutes(target.firstResponse()),
          target == null ? null : TicketSlas.minutes(target.resolution()))).toTicket();
      if (ticket.customerId().isPresent()) {
        Map<String, Object> metadata = new LinkedHashMap<>(changed);
        metadata.put("ticket_id", ticketId.toString());
        tx.scope().customers().logActivity(ticket.customerId().get(), "ticket_updated",
            Optional.of(ticket.number() + ": " + String.join(", ", changed.keySet())), metadata);
      }
      return edited;
    });
  }

  /** A description set blank clears it, as on open. */
  private static Change<String> description(Change<String> change) {
    if (change instanceof Change.To<String> to) {
      return TicketInputs.description(to.value()).map(Change::to).orElseGet(Change::clear);
    }
    return change;
  }

  /** {@code after} if it differs from {@code before}, else null (kept). */
  private static <T> T changed(T after, T before) {
    return after.equals(before) ? null : after;
  }
}
