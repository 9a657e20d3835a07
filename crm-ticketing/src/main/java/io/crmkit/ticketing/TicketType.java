package io.crmkit.ticketing;

import java.util.Locale;

/** What a ticket is about. */
public enum TicketType {
  /** A support request, the default. */
  SUPPORT,
  /** A sales offer to prepare or follow. */
  SALES_OFFER,
  /** Something to follow up. */
  FOLLOW_UP,
  /** A defect. */
  BUG,
  /** A wish for the product. */
  FEATURE_REQUEST;

  /** The name stored in the database, e.g. {@code sales_offer}. */
  public String databaseName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type stored as {@code name}. */
  public static TicketType fromDatabase(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
