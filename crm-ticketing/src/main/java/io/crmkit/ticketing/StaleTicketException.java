package io.crmkit.ticketing;

import io.crmkit.core.exception.CrmException;
import java.util.UUID;

/**
 * Someone changed the ticket since the version the change was made from: nothing was changed.
 * Read the ticket again, and decide again.
 */
public final class StaleTicketException extends CrmException {
  private static final long serialVersionUID = 1L;
  private final UUID ticketId;
  private final long expectedVersion;
  private final long currentVersion;

  /** Creates the exception. */
  public StaleTicketException(UUID ticketId, long expectedVersion, long currentVersion) {
    super("ticket " + ticketId + " changed meanwhile: version " + currentVersion + ", not " + expectedVersion
        + "; read it again");
    this.ticketId = ticketId;
    this.expectedVersion = expectedVersion;
    this.currentVersion = currentVersion;
  }

  /** The ticket. */
  public UUID ticketId() {
    return ticketId;
  }

  /** The version the change was made from. */
  public long expectedVersion() {
    return expectedVersion;
  }

  /** The ticket's version now. */
  public long currentVersion() {
    return currentVersion;
  }
}
