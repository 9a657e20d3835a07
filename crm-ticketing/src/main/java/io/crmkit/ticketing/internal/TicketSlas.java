package io.crmkit.ticketing.internal;

import io.crmkit.core.TenantScope;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.ticketing.SlaTarget;
import io.crmkit.ticketing.Ticket;
import io.crmkit.ticketing.TicketStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A ticket's SLA clocks, in wall-clock time: due times from the priority's targets when a ticket is
 * opened, re-timed when its priority changes (TicketMapper's {@code edit}); the resolution clock
 * paused while waiting and restarted with a full target on reopening (a move's clocks); and the
 * due list. The arithmetic on stored times runs in SQL, from the minutes given here.
 */
final class TicketSlas {
  private TicketSlas() {}

  /** When a target that starts at {@code start} is due; null without a target. */
  static Instant due(Instant start, Optional<Duration> target) {
    return target.map(start::plus).orElse(null);
  }

  /** A target in whole minutes, as stored; null without a target. */
  static Integer minutes(Optional<Duration> target) {
    return target.map(d -> (int) d.toMinutes()).orElse(null);
  }

  /** A stored target in minutes as a duration. */
  static Optional<Duration> duration(Integer minutes) {
    return minutes == null ? Optional.empty() : Optional.of(Duration.ofMinutes(minutes));
  }

  /**
   * What a move of {@code ticket} to {@code to} does to its clocks.
   *
   * @param resume the pause ends (leaving waiting): the due time moves by the time paused
   * @param pause a pause starts (entering waiting)
   * @param restart the resolution clock starts again (reopened), due in {@code resolutionMinutes}
   */
  record Clocks(boolean resume, boolean pause, boolean restart, Integer resolutionMinutes) {
    static Clocks of(TenantTransaction tx, Ticket ticket, TicketStatus to) {
      TicketStatus from = ticket.status();
      boolean restart = from.done() && !to.done();
      Integer resolution = restart ? minutes(target(tx, ticket).resolution()) : null;
      return new Clocks(from == TicketStatus.WAITING, to == TicketStatus.WAITING, restart, resolution);
    }

    private static SlaTarget target(TenantTransaction tx, Ticket ticket) {
      return TicketSettingsStore.OpenContext.read(tx, ticket.priority()).target();
    }
  }

  /**
   * Unfinished tickets whose first response or resolution is overdue or due within {@code within},
   * most urgent first.
   */
  static List<Ticket> due(TenantScope scope, Duration within, int limit) {
    TicketInputs.within(Objects.requireNonNull(within, "within"));
    TicketInputs.limit(limit, 500);
    return TenantWork.call(scope, tx -> tx.mapper(TicketMapper.class)
        .slaDue(tx.organizationId(), tx.now().plus(within), limit).stream()
        .map(TicketRows.TicketRow::toTicket).toList());
  }
}
