package io.crmkit.campaigns.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.campaigns.CampaignStatus;
import java.time.Instant;
import java.util.UUID;

/** Rows of the runner's statements. */
final class RunnerRows {
  private RunnerRows() {}

  /** A recipient a claim leased, with its organization. */
  static class Claimed {
    UUID organizationId;
    UUID campaignId;
    UUID recipientId;
    /** Its send slot in its profile's shared pace: not sent before. */
    Instant sendAt;
  }

  /** A leased recipient with its campaign and the values its message is rendered from. */
  static class SendContext extends CampaignRows.ValuesRow {
    UUID recipientId;
    UUID campaignId;
    String phone;
    String userId;
    int attempts;
    CampaignStatus campaignStatus;
    UUID profileId;
    String messageTemplate;
    JsonNode template;
    boolean optedOut;
    boolean windowClosed;
    /** The profile's daily limit of unique users, if set. */
    Integer dailyUsers;
    /** The organization's time zone, whose days the daily limits count in. */
    String timeZone;
    /** Whether the profile is held back after WhatsApp's rate limit (130429), since the claim maybe. */
    boolean backingOff;
    /** Whether the organization's plan has bulk_sender now (a downgrade may have taken it since the start). */
    boolean bulkSender;
  }

  /** A campaign's last attempts, and how many of them failed. */
  static class Recent {
    int attempts;
    int failed;
  }

  /** A profile's sending limits as stored. */
  static class ProfileLimits {
    int messagesPerSecond;
    Integer dailyUsers;
  }

  /** The recipient of an attempt, for a status of its message. */
  static class Delivery {
    UUID id;
    UUID campaignId;
    String status;
    boolean delivered;
    boolean read;
  }

  /** Where an attempt's recipient is: its status, and what statuses of this attempt told already. */
  static class AttemptState {
    String status;
    String waMessageId;
    Integer errorCode;
    int attempts;
  }

  /** After an outcome: the campaign's recipients still pending or in flight, and its failures in a row. */
  static class Recorded {
    int remaining;
    int failuresInARow;
  }
}
