package io.crmkit.billing;

import java.util.Locale;

/**
 * What {@code usage_records} hold per billing period, read from crm-core's counters. Counted
 * metrics add up what was done in the period; levels keep the highest value seen in it.
 */
public enum UsageMetric {
  /** WhatsApp messages sent (inbox replies and campaigns); counted. */
  MESSAGES_SENT(true),
  /** Tickets opened; counted. */
  TICKETS_OPENED(true),
  /** Campaigns started; counted. */
  CAMPAIGNS_STARTED(true),
  /** Customers kept; a level. */
  CUSTOMERS(false),
  /** Active users; a level. */
  USERS(false),
  /** WhatsApp profiles connected; a level. */
  WHATSAPP_PROFILES(false),
  /** Bytes stored for the organization (WhatsApp media); a level. */
  STORAGE_BYTES(false);

  private final boolean counted;

  UsageMetric(boolean counted) {
    this.counted = counted;
  }

  /** Whether it adds up what was done ({@code true}), or is a level at a moment ({@code false}). */
  public boolean counted() {
    return counted;
  }

  /** Its name in the database and in core's counters: {@code messages_sent}. */
  public String databaseName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
