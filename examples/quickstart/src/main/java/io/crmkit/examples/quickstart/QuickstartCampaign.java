package io.crmkit.examples.quickstart;

import io.crmkit.campaigns.Campaign;
import io.crmkit.campaigns.CampaignContent;
import io.crmkit.campaigns.CampaignContent.TemplateComponent;
import io.crmkit.campaigns.CampaignContent.TemplateParameter;
import io.crmkit.campaigns.CampaignDraft;
import io.crmkit.campaigns.CampaignProgress;
import io.crmkit.campaigns.CampaignRecipient;
import io.crmkit.campaigns.CampaignRunner;
import io.crmkit.campaigns.CampaignService;
import io.crmkit.campaigns.CampaignStatus;
import io.crmkit.campaigns.RecipientSelection;
import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The quickstart's campaign: Acme sends an approved template to its VIP customers (a tag, expanded
 * at the start) and two numbers typed by hand (one not a number); runners the host starts send it
 * through the recording fake while the host shows its progress.
 */
public final class QuickstartCampaign {
  private QuickstartCampaign() {}

  /**
   * The campaign as it ended, and its recipients.
   *
   * @param campaign the campaign, with its counts
   * @param recipients each recipient, in order, with where it ended
   * @param progress the progress snapshots a host's progress bar would have shown, the last at the end
   */
  public record Result(Campaign campaign, List<CampaignRecipient> recipients, List<CampaignProgress> progress) {
    /** Creates the result; the lists are copied. */
    public Result {
      Objects.requireNonNull(campaign, "campaign");
      progress = List.copyOf(progress);
      recipients = List.copyOf(recipients);
    }
  }

  /** Writes, fills, starts and sends the campaign from {@code profileId}, as {@code acme}'s admin. */
  static Result run(Crm crm, TenantScope acme, UUID profileId) {
    CampaignService campaigns = acme.service(CampaignService.class);
    Campaign offer = campaigns.create(CampaignDraft.builder("عرض الربيع Spring offer", profileId,
        CampaignContent.template("spring_offer", "ar", List.of(TemplateComponent.body(List.of(
            TemplateParameter.of("{{first_name|عميلنا}}"), TemplateParameter.of("20%"))))))
        .delay(Duration.ZERO, Duration.ZERO).build());
    campaigns.addRecipients(offer.id(), RecipientSelection.tag("vip"));
    campaigns.addRecipients(offer.id(), RecipientSelection.phones(List.of("050 111 2222", "12345")));
    campaigns.start(offer.id());
    // A host starts runners in each of its JVMs, and shows the progress while they send.
    List<CampaignProgress> snapshots = new ArrayList<>();
    try (CampaignRunner.Workers workers = crm.service(CampaignRunner.class)
        .start(new CampaignRunner.Settings(2, Duration.ofMillis(20), 50))) {
      Instant deadline = Instant.now().plusSeconds(30);
      CampaignProgress progress = campaigns.progress(offer.id());
      while (progress.status() == CampaignStatus.RUNNING && Instant.now().isBefore(deadline)) {
        snapshots.add(progress);
        sleep(Duration.ofMillis(20));
        progress = campaigns.progress(offer.id());
      }
      snapshots.add(progress);
    }
    return new Result(campaigns.get(offer.id()).orElseThrow(),
        campaigns.recipients(offer.id(), CampaignService.MAX_PAGE, Optional.empty()).items(), snapshots);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the campaign was sending", e);
    }
  }

  /** Prints the campaign's progress and each recipient's end. */
  static void print(Result result, PrintStream out) {
    Campaign campaign = result.campaign();
    out.printf("%nCampaign \"%s\": %s, %d recipients: %d sent, %d failed, %d unknown, %d skipped%n", campaign.name(),
        campaign.status().databaseName(), campaign.totalRecipients(), campaign.sentCount(), campaign.failedCount(),
        campaign.unknownCount(), campaign.skippedCount());
    for (CampaignProgress progress : result.progress()) {
      out.printf(Locale.ROOT, "  progress: %3.0f%% done, %d remaining, %.1f sends/s%s%n", progress.done() * 100,
          progress.remaining(), progress.perSecond(),
          progress.estimatedFinish().map(at -> ", done by " + at).orElse(""));
    }
    for (CampaignRecipient recipient : result.recipients()) {
      out.printf(Locale.ROOT, "  %2d %-16s %s%n", recipient.position(),
          recipient.phone().or(recipient::userId).orElse("-"), recipient.status().databaseName()
              + recipient.skipReason().map(reason -> " (" + reason.databaseName() + ")").orElse(""));
    }
  }
}
