package io.crmkit.whatsapp.spi;

/**
 * The usage counter of messages an organization sends in its day, against the plan's
 * {@code max_messages_per_day}: agents' replies and every other module's sends take from the same
 * one ({@code tx.takeWithinLimit(SentMessages.METRIC, day, 1, Limit.MESSAGES_PER_DAY)}).
 */
public final class SentMessages {
  /** The counter's metric name. */
  public static final String METRIC = "messages_sent";

  private SentMessages() {}
}
