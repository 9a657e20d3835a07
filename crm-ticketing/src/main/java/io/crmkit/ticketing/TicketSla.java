package io.crmkit.ticketing;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A ticket's SLA clocks. Both count wall-clock time; the resolution clock stops while the ticket
 * is {@code waiting} (the due time moves by the time paused), restarts when the ticket is reopened,
 * and both due times follow a change of priority.
 *
 * @param firstResponseDueAt when the first response is due; empty without a target
 * @param firstRespondedAt when a public reply (or an agent's WhatsApp reply in the linked
 *     conversation) first answered; empty until then
 * @param resolutionDueAt when resolution is due, not counting a pause in progress; empty without a target
 * @param resolutionPausedSince since when the clock is paused (the ticket is waiting)
 * @param pausedTime the time paused in this resolution cycle, the one in progress excluded
 */
public record TicketSla(Optional<Instant> firstResponseDueAt, Optional<Instant> firstRespondedAt,
    Optional<Instant> resolutionDueAt, Optional<Instant> resolutionPausedSince, Duration pausedTime) {
  /** Creates the clocks. */
  public TicketSla {
    Objects.requireNonNull(firstResponseDueAt, "firstResponseDueAt");
    Objects.requireNonNull(firstRespondedAt, "firstRespondedAt");
    Objects.requireNonNull(resolutionDueAt, "resolutionDueAt");
    Objects.requireNonNull(resolutionPausedSince, "resolutionPausedSince");
    Objects.requireNonNull(pausedTime, "pausedTime");
  }
}
