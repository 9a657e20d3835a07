package io.crmkit.ticketing.internal;

import io.crmkit.core.TenantScope;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.core.users.Role;
import io.crmkit.ticketing.IllegalTransitionException;
import io.crmkit.ticketing.Ticket;
import io.crmkit.ticketing.TicketStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The status workflow ({@link TicketStatus#next()}), with an admin's force for any other move: a
 * move stamps {@code resolvedAt} and {@code closedAt} (clears them on reopening), runs the SLA
 * clocks ({@link TicketSlas.Clocks}), takes the ticket at its expected version, and is on the
 * customer's timeline.
 */
final class TicketWorkflow {
  private TicketWorkflow() {}

  static Ticket move(TenantScope scope, UUID ticketId, long expectedVersion, TicketStatus to, boolean force) {
    Objects.requireNonNull(ticketId, "ticketId");
    Objects.requireNonNull(to, "to");
    TicketInputs.expectedVersion(expectedVersion);
    return TenantWork.call(scope, tx -> {
      if (force) {
        tx.requireRole("tickets.force_status", Role.ADMIN);
      } else {
        tx.requireRoleUnlessSystem("tickets.change_status", Tickets.AGENTS);
      }
      Ticket ticket = Tickets.locked(tx, ticketId, expectedVersion);
      TicketStatus from = ticket.status();
      if (from == to) {
        return ticket;
      }
      boolean allowed = from.next().contains(to);
      if (!force && !allowed) {
        throw new IllegalTransitionException(from, to);
      }
      TicketSlas.Clocks clocks = TicketSlas.Clocks.of(tx, ticket, to);
      boolean reopen = from.done() && !to.done();
      Ticket moved = tx.mapper(TicketMapper.class).move(new TicketMapper.Move(tx.organizationId(), ticketId, to,
          tx.now(), reopen, !reopen && to == TicketStatus.RESOLVED, !reopen && to == TicketStatus.CLOSED,
          clocks.resume(), clocks.pause(), clocks.restart(), clocks.resolutionMinutes())).toTicket();
      if (ticket.customerId().isPresent()) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("ticket_id", ticketId.toString());
        metadata.put("from", from.databaseName());
        metadata.put("to", to.databaseName());
        metadata.put("forced", force && !allowed);
        tx.scope().customers().logActivity(ticket.customerId().get(), "ticket_status_changed",
            Optional.of(ticket.number() + ": " + from.databaseName() + " → " + to.databaseName()), metadata);
      }
      return moved;
    });
  }
}
