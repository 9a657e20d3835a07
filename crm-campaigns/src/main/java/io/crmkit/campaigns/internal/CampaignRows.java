package io.crmkit.campaigns.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.campaigns.Campaign;
import io.crmkit.campaigns.CampaignRecipient;
import io.crmkit.campaigns.CampaignStatus;
import io.crmkit.campaigns.RecipientStatus;
import io.crmkit.campaigns.SkipReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Rows MyBatis fills by column name (underscores to camel case, types by core's handlers), turned
 * into the public records here.
 */
final class CampaignRows {
  private CampaignRows() {}

  /** A row of {@code campaigns}. */
  static class CampaignRow {
    UUID id;
    UUID profileId;
    String name;
    String messageTemplate;
    JsonNode template;
    List<String> audienceTags;
    CampaignStatus status;
    String statusReason;
    String waitReason;
    Instant nextSendAt;
    int totalRecipients;
    int skippedCount;
    int sentCount;
    int failedCount;
    int unknownCount;
    int deliveredCount;
    int readCount;
    int repliedCount;
    int currentIndex;
    int delayMinMs;
    int delayMaxMs;
    Instant scheduledAt;
    Instant startedAt;
    Instant completedAt;
    UUID createdBy;
    Instant createdAt;
    Instant updatedAt;

    Campaign toCampaign() {
      return new Campaign(id, profileId, name, ContentCodec.read(messageTemplate, template), status,
          Optional.ofNullable(statusReason),
          Optional.ofNullable(waitReason).map(reason -> new Campaign.Waiting(reason, nextSendAt)), totalRecipients, skippedCount, sentCount, failedCount, unknownCount,
          deliveredCount, readCount, repliedCount, currentIndex,
          Duration.ofMillis(delayMinMs), Duration.ofMillis(delayMaxMs), Optional.ofNullable(scheduledAt),
          Optional.ofNullable(startedAt), Optional.ofNullable(completedAt), Optional.ofNullable(createdBy), createdAt,
          updatedAt);
    }

    List<String> tags() {
      return audienceTags == null ? List.of() : audienceTags;
    }
  }

  /** What {@code insert} stores. */
  record NewCampaign(UUID profileId, String name, String messageTemplate, JsonNode template, int delayMinMs,
      int delayMaxMs, Integer resendUnknownAfterS) {}

  /** A customer a selection names, with its WhatsApp phone (null if none). */
  static class CustomerRef {
    UUID id;
    String whatsappPhone;
  }

  /** An identity a campaign has. */
  static class Identity {
    String phone;
    String userId;
    UUID customerId;
  }

  /** A row of {@code campaign_recipients}. */
  static class RecipientRow {
    UUID id;
    int position;
    String phone;
    String userId;
    UUID customerId;
    RecipientStatus status;
    SkipReason skipReason;
    Integer errorCode;
    String errorMessage;
    Instant sentAt;
    Instant deliveredAt;
    Instant readAt;
    Instant repliedAt;

    CampaignRecipient toRecipient() {
      return new CampaignRecipient(id, position, Optional.ofNullable(phone), Optional.ofNullable(userId),
          Optional.ofNullable(customerId), status, Optional.ofNullable(skipReason), Optional.ofNullable(errorCode),
          Optional.ofNullable(errorMessage), Optional.ofNullable(sentAt), Optional.ofNullable(deliveredAt),
          Optional.ofNullable(readAt), Optional.ofNullable(repliedAt));
    }
  }

  /** What one recipient's message is rendered from: its identity and its customer's fields. */
  static class ValuesRow {
    int position;
    String identity;
    String fullName;
    String company;
    String jobTitle;
    String whatsappPhone;
    String email;
    JsonNode customFields;
  }
}
