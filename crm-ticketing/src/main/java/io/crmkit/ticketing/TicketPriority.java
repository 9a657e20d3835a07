package io.crmkit.ticketing;

import java.util.Locale;

/** How urgent a ticket is; each priority has its own SLA targets. */
public enum TicketPriority {
  /** Low. */
  LOW,
  /** Medium, the default. */
  MEDIUM,
  /** High. */
  HIGH,
  /** Urgent. */
  URGENT;

  /** The name stored in the database, e.g. {@code urgent}. */
  public String databaseName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The priority stored as {@code name}. */
  public static TicketPriority fromDatabase(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
