package io.crmkit.campaigns;

import java.time.Instant;
import java.util.Optional;

/**
 * Where a campaign stands, for a host's progress bar: {@link CampaignService#progress}.
 *
 * @param status where it is in its life
 * @param total every recipient, skipped ones included
 * @param skipped recipients who get nothing, each with its reason
 * @param sent recipients WhatsApp took the message for
 * @param failed recipients whose send failed for good
 * @param unknown recipients whose send may or may not have reached WhatsApp
 * @param remaining recipients still to send or in flight
 * @param delivered recipients WhatsApp reports delivered (or read)
 * @param read recipients WhatsApp reports read
 * @param replied recipients who wrote back within three days of their message
 * @param perSecond attempts a second over the last minute (or since the start, if shorter)
 * @param estimatedFinish when the remaining recipients will have been handled at that rate; empty
 *     unless the campaign is running, sending and not waiting for a limit of the day
 */
public record CampaignProgress(CampaignStatus status, int total, int skipped, int sent, int failed, int unknown,
    int remaining, int delivered, int read, int replied, double perSecond, Optional<Instant> estimatedFinish) {

  /** The share of recipients handled (sent, failed, unknown or skipped), 0 to 1; 1 for none. */
  public double done() {
    return total == 0 ? 1 : (double) (total - remaining) / total;
  }
}
