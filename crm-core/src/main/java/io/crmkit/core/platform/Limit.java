package io.crmkit.core.platform;

/**
 * A usage limit of the plan catalog. A plan's value may be unlimited (NULL in the catalog); an
 * organization's custom limit, when set, wins over its plan's.
 */
public enum Limit {
  /** Seats: active users plus unexpired pending invitations. */
  USERS("max_users"),
  /** Connected WhatsApp numbers. */
  WHATSAPP_PROFILES("max_whatsapp_profiles"),
  /** Customers (contacts). */
  CUSTOMERS("max_customers"),
  /** Outbound WhatsApp messages per day, in the organization's time zone. */
  MESSAGES_PER_DAY("max_messages_per_day"),
  /** Tickets opened per month, in the organization's time zone. */
  TICKETS_PER_MONTH("max_tickets_per_month"),
  /** Campaigns started per month, in the organization's time zone. */
  CAMPAIGNS_PER_MONTH("max_campaigns_per_month"),
  /** Stored media, in gigabytes. */
  STORAGE_GB("storage_gb");

  private final String column;

  Limit(String column) {
    this.column = column;
  }

  /** The catalog column (and custom-limit key), e.g. {@code "max_users"}. */
  public String column() {
    return column;
  }

  /**
   * Returns the limit of a catalog column.
   *
   * @throws IllegalArgumentException for a name that is not a limit (never read as "unlimited")
   */
  public static Limit ofColumn(String column) {
    for (Limit limit : values()) {
      if (limit.column.equals(column)) {
        return limit;
      }
    }
    throw new IllegalArgumentException("unknown limit: " + column);
  }
}
