package io.crmkit.examples.quickstart;

import io.crmkit.campaigns.Campaign;
import io.crmkit.campaigns.CampaignContent;
import io.crmkit.campaigns.CampaignContent.TemplateComponent;
import io.crmkit.campaigns.CampaignContent.TemplateParameter;
import io.crmkit.campaigns.CampaignDraft;
import io.crmkit.campaigns.CampaignRecipient;
import io.crmkit.campaigns.CampaignRunner;
import io.crmkit.campaigns.CampaignService;
import io.crmkit.campaigns.RecipientSelection;
import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The quickstart's campaign: Acme sends an approved template to its VIP customers (a tag, expanded
 * at the start) and two numbers typed by hand (one not a number), and the runner a host schedules
 * sends it through the recording fake.
 */
public final class QuickstartCampaign {
  private QuickstartCampaign() {}

  /**
   * The campaign as it ended, and its recipients.
   *
   * @param campaign the campaign, with its counts
   * @param recipients each recipient, in order, with where it ended
   */
  public record Result(Campaign campaign, List<CampaignRecipient> recipients) {
    /** Creates the result; the recipients are copied. */
    public Result {
      Objects.requireNonNull(campaign, "campaign");
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
    // What a host's scheduler does every second or so, from any number of JVMs.
    CampaignRunner runner = crm.service(CampaignRunner.class);
    while (runner.runOnce(50) > 0) {
      // until every recipient is handled
    }
    return new Result(campaigns.get(offer.id()).orElseThrow(),
        campaigns.recipients(offer.id(), CampaignService.MAX_PAGE, Optional.empty()).items());
  }

  /** Prints the campaign's progress and each recipient's end. */
  static void print(Result result, PrintStream out) {
    Campaign campaign = result.campaign();
    out.printf("%nCampaign \"%s\": %s, %d recipients: %d sent, %d failed, %d unknown, %d skipped%n", campaign.name(),
        campaign.status().databaseName(), campaign.totalRecipients(), campaign.sentCount(), campaign.failedCount(),
        campaign.unknownCount(), campaign.skippedCount());
    for (CampaignRecipient recipient : result.recipients()) {
      out.printf(Locale.ROOT, "  %2d %-16s %s%n", recipient.position(),
          recipient.phone().or(recipient::userId).orElse("-"), recipient.status().databaseName()
              + recipient.skipReason().map(reason -> " (" + reason.databaseName() + ")").orElse(""));
    }
  }
}
