package io.crmkit.campaigns;

import io.crmkit.core.exception.ValidationException;
import java.util.OptionalInt;

/**
 * How fast and how much one WhatsApp profile's campaigns send, shared by every runner in every JVM
 * (the database keeps the profile's pace). Copy the numbers from Meta's WhatsApp Manager:
 *
 * <pre>{@code
 * campaigns.setSendingLimits(profileId, new SendingLimits(80, OptionalInt.of(10_000)));
 * }</pre>
 *
 * <p>The plan's {@code max_messages_per_day}, shared with agents' replies, holds as well. A
 * campaign that reaches a daily limit waits until the organization's next day and goes on by
 * itself ({@link Campaign#waiting()}).
 *
 * @param messagesPerSecond the profile's throughput: 80 by default, up to 1,000 for upgraded
 *     numbers, 20 for numbers shared with the WhatsApp Business app
 * @param dailyUsers the unique users the business may reach with campaigns in a day (Meta's
 *     messaging limit), counted per profile in the organization's day; empty: no limit
 */
public record SendingLimits(int messagesPerSecond, OptionalInt dailyUsers) {
  /** The defaults: 80 messages a second, no daily limit of users. */
  public static final SendingLimits DEFAULT = new SendingLimits(80, OptionalInt.empty());

  /**
   * @throws ValidationException for a rate outside 1 to 1,000, or a daily limit below 1
   */
  public SendingLimits {
    if (messagesPerSecond < 1 || messagesPerSecond > 1000) {
      throw new ValidationException("messagesPerSecond", "must be 1 to 1000, was " + messagesPerSecond);
    }
    if (dailyUsers == null) {
      throw new NullPointerException("dailyUsers");
    }
    if (dailyUsers.isPresent() && dailyUsers.getAsInt() < 1) {
      throw new ValidationException("dailyUsers", "must be at least 1, was " + dailyUsers.getAsInt());
    }
  }
}
