package io.crmkit.campaigns;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A campaign as stored.
 *
 * @param id its id
 * @param profileId the WhatsApp profile it sends from
 * @param name its name
 * @param content what it sends
 * @param status where it is in its life
 * @param statusReason why it paused, when it did so by itself (or was stopped with a reason)
 * @param waiting while a running campaign waits for a limit of the day, why and until when (it
 *     goes on by itself then)
 * @param totalRecipients every recipient, skipped ones included
 * @param skippedCount recipients skipped, each with its reason
 * @param sentCount recipients sent to
 * @param failedCount recipients whose send failed
 * @param unknownCount recipients whose send may or may not have reached WhatsApp (never sent again
 *     by themselves)
 * @param deliveredCount recipients whose message WhatsApp reports delivered (or read)
 * @param readCount recipients who read it, as far as WhatsApp reports it (users may turn read receipts off)
 * @param repliedCount recipients who wrote back within three days of their message
 * @param currentIndex how many recipients have been handled: sent, failed or unknown
 * @param delayMin the least pause between two sends
 * @param delayMax the longest pause between two sends
 * @param scheduledAt when it starts by itself, if scheduled
 * @param startedAt when it first started
 * @param completedAt when it completed or stopped
 * @param createdBy the member who created it, while a member
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 */
public record Campaign(UUID id, UUID profileId, String name, CampaignContent content, CampaignStatus status,
    Optional<String> statusReason, Optional<Waiting> waiting, int totalRecipients, int skippedCount, int sentCount, int failedCount,
    int unknownCount, int deliveredCount, int readCount, int repliedCount, int currentIndex, Duration delayMin, Duration delayMax, Optional<Instant> scheduledAt,
    Optional<Instant> startedAt, Optional<Instant> completedAt, Optional<UUID> createdBy, Instant createdAt,
    Instant updatedAt) {

  /**
   * Why a running campaign sends nothing for now.
   *
   * @param reason the limit reached, e.g. the plan's messages per day
   * @param until when it sends again: the start of the organization's next day
   */
  public record Waiting(String reason, Instant until) {}
}
