package io.crmkit.campaigns;

import java.util.UUID;

/**
 * A turn in a campaign's life, told to {@link CampaignListener}s after the transaction that made it
 * commits (never for one that rolled back), whether a member or a runner made it.
 */
public sealed interface CampaignEvent {
  /** The campaign's organization. */
  UUID organizationId();

  /** The campaign. */
  UUID campaignId();

  /** It started sending: started now, by its schedule, or resumed. */
  record Started(UUID organizationId, UUID campaignId) implements CampaignEvent {}

  /**
   * It paused: by a member, or by itself (a template WhatsApp refused, failures in a row, a profile
   * without a working session).
   *
   * @param reason why it paused by itself; empty when a member paused it
   */
  record Paused(UUID organizationId, UUID campaignId, java.util.Optional<String> reason) implements CampaignEvent {}

  /**
   * It waits for a limit of the day and goes on by itself at {@code until}.
   *
   * @param reason the limit reached
   * @param until the start of the organization's next day
   */
  record Waiting(UUID organizationId, UUID campaignId, String reason, java.time.Instant until)
      implements CampaignEvent {}

  /** Every recipient was handled (sent, failed, skipped or unknown). */
  record Completed(UUID organizationId, UUID campaignId) implements CampaignEvent {}

  /** A member stopped it for good. */
  record Stopped(UUID organizationId, UUID campaignId) implements CampaignEvent {}
}
