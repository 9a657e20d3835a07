package io.crmkit.ticketing;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where a ticket is in its workflow. The allowed moves (anything else needs an admin's
 * {@link TicketService#forceStatus}):
 *
 * <pre>
 * open        → in_progress, waiting, resolved
 * in_progress → open, waiting, resolved
 * waiting     → in_progress, resolved
 * resolved    → closed, open (reopen)
 * closed      → open (reopen)
 * </pre>
 */
public enum TicketStatus {
  /** New, or reopened. */
  OPEN,
  /** Someone works on it. */
  IN_PROGRESS,
  /** Waiting for the customer or a third party; the resolution clock is paused. */
  WAITING,
  /** Solved; may be closed or reopened. */
  RESOLVED,
  /** Done; may only be reopened. */
  CLOSED;

  /** The statuses this one may move to without force. */
  public Set<TicketStatus> next() {
    return switch (this) {
      case OPEN -> EnumSet.of(IN_PROGRESS, WAITING, RESOLVED);
      case IN_PROGRESS -> EnumSet.of(OPEN, WAITING, RESOLVED);
      case WAITING -> EnumSet.of(IN_PROGRESS, RESOLVED);
      case RESOLVED -> EnumSet.of(CLOSED, OPEN);
      case CLOSED -> EnumSet.of(OPEN);
    };
  }

  /** True for resolved and closed. */
  public boolean done() {
    return this == RESOLVED || this == CLOSED;
  }

  /** The name stored in the database, e.g. {@code in_progress}. */
  public String databaseName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status stored as {@code name}. */
  public static TicketStatus fromDatabase(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
