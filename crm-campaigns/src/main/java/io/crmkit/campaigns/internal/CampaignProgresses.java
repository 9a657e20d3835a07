package io.crmkit.campaigns.internal;

import io.crmkit.campaigns.Campaign;
import io.crmkit.campaigns.CampaignProgress;
import io.crmkit.campaigns.CampaignStatus;
import io.crmkit.core.spi.TenantTransaction;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** A campaign's {@link CampaignProgress}: its counts, and its rate from its recent results. */
final class CampaignProgresses {
  /** The window of the rate. */
  private static final Duration WINDOW = Duration.ofMinutes(1);

  private CampaignProgresses() {}

  static CampaignProgress of(TenantTransaction tx, Campaign campaign) {
    Instant now = tx.now();
    int remaining = Math.max(0, campaign.totalRecipients() - campaign.skippedCount() - campaign.currentIndex());
    double perSecond = 0;
    Optional<Instant> finish = Optional.empty();
    if (campaign.status() == CampaignStatus.RUNNING && campaign.startedAt().isPresent()) {
      long since = Duration.between(campaign.startedAt().get(), now).toSeconds();
      int seconds = (int) Math.max(1, Math.min(WINDOW.toSeconds(), since));
      perSecond = (double) tx.mapper(CampaignMapper.class).recentSends(tx.organizationId(), campaign.id(), now,
          seconds) / seconds;
      if (perSecond > 0 && remaining > 0 && campaign.waiting().isEmpty()) {
        finish = Optional.of(now.plusMillis((long) Math.ceil(remaining / perSecond * 1000)));
      }
    }
    return new CampaignProgress(campaign.status(), campaign.totalRecipients(), campaign.skippedCount(),
        campaign.sentCount(), campaign.failedCount(), campaign.unknownCount(), remaining, campaign.deliveredCount(),
        campaign.readCount(), campaign.repliedCount(), perSecond, finish);
  }
}
