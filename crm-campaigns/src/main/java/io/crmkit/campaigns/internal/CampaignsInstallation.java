package io.crmkit.campaigns.internal;

import io.crmkit.campaigns.CampaignRunner;
import io.crmkit.campaigns.CampaignService;
import io.crmkit.core.spi.ModuleContext;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.whatsapp.spi.InboundTexts;
import io.crmkit.whatsapp.spi.MarketingPreferences;
import io.crmkit.whatsapp.spi.TaggedStatuses;
import java.util.List;
import java.util.UUID;

/**
 * What {@link io.crmkit.campaigns.CampaignsModule} puts on a Crm: its mappers, the tenant service
 * {@link CampaignService}, the {@link CampaignRunner}, the handlers of its sends' delivery statuses
 * and of users' opt-out words, and its part in customer merges.
 */
public final class CampaignsInstallation {
  private CampaignsInstallation() {}

  /** The module's mapper interfaces, each with its XML beside it. */
  public static List<Class<?>> mappers() {
    return List.of(CampaignMapper.class, RunnerMapper.class, OptOutMapper.class);
  }

  /** Registers {@link CampaignService} for every scope and the {@link CampaignRunner} on the Crm. */
  public static void install(ModuleContext context, CampaignsSettings settings) {
    CampaignEvents events = new CampaignEvents(settings.listeners());
    context.tenantService(CampaignService.class, scope -> new Campaigns(scope, events));
    context.crmService(CampaignRunner.class, new SqlCampaignRunner(context.crm(), settings, events));
    context.extension(TaggedStatuses.class, new CampaignStatuses(events));
    OptOuts optOuts = new OptOuts();
    context.extension(InboundTexts.class, optOuts);
    context.extension(MarketingPreferences.class, optOuts);
    context.extension(InboundTexts.class, new CampaignReplies());
  }

  /** The duplicate's places in campaigns now reach the survivor (unless a campaign has it already). */
  public static void mergeCustomers(TenantTransaction tx, UUID survivor, UUID duplicate) {
    tx.mapper(CampaignMapper.class).moveToCustomer(tx.organizationId(), survivor, duplicate);
  }
}
