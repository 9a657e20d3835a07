package io.crmkit.ticketing;

import io.crmkit.core.exception.CrmException;
import java.util.Objects;

/**
 * The workflow does not allow this move (closing an unresolved ticket, say): nothing was changed.
 * An admin can make it anyway with {@link TicketService#forceStatus}.
 */
public final class IllegalTransitionException extends CrmException {
  private static final long serialVersionUID = 1L;
  private final TicketStatus from;
  private final TicketStatus to;

  /** Creates the exception. */
  public IllegalTransitionException(TicketStatus from, TicketStatus to) {
    super("a ticket cannot go from " + from.databaseName() + " to " + to.databaseName() + " (allowed: "
        + from.next().stream().map(TicketStatus::databaseName).sorted().toList() + "); an admin may force it");
    this.from = Objects.requireNonNull(from, "from");
    this.to = Objects.requireNonNull(to, "to");
  }

  /** The ticket's status. */
  public TicketStatus from() {
    return from;
  }

  /** The status asked for. */
  public TicketStatus to() {
    return to;
  }
}
