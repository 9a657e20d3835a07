package io.crmkit.campaigns.internal;

import io.crmkit.campaigns.CampaignRunner;
import io.crmkit.campaigns.CampaignService;
import io.crmkit.core.spi.ModuleContext;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.whatsapp.spi.InboundTexts;
import io.crmkit.whatsapp.spi.TaggedStatuses;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * What {@link io.crmkit.campaigns.CampaignsModule} puts on a Crm: its mappers, the tenant service
 * {@link CampaignService}, the {@link CampaignRunner}, the handlers of its sends' delivery statuses
 * and of users' opt-out words, and its part in customer merges.
 */
public final class CampaignsInstallation {
  private CampaignsInstallation() {}

  /** How long a runner holds what it claimed before another may take it over. */
  static final Duration LEASE = Duration.ofMinutes(2);

  /** The module's mapper interfaces, each with its XML beside it. */
  public static List<Class<?>> mappers() {
    return List.of(CampaignMapper.class, RunnerMapper.class, OptOutMapper.class);
  }

  /** Registers {@link CampaignService} for every scope and the {@link CampaignRunner} on the Crm. */
  public static void install(ModuleContext context) {
    context.tenantService(CampaignService.class, Campaigns::new);
    context.crmService(CampaignRunner.class, new SqlCampaignRunner(context.crm(), LEASE));
    context.extension(TaggedStatuses.class, new CampaignStatuses());
    context.extension(InboundTexts.class, new OptOuts());
  }

  /** The duplicate's places in campaigns now reach the survivor (unless a campaign has it already). */
  public static void mergeCustomers(TenantTransaction tx, UUID survivor, UUID duplicate) {
    tx.mapper(CampaignMapper.class).moveToCustomer(tx.organizationId(), survivor, duplicate);
  }
}
