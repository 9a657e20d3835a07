package io.crmkit.campaigns.internal;

import io.crmkit.campaigns.CampaignService;
import io.crmkit.core.spi.ModuleContext;
import io.crmkit.core.spi.TenantTransaction;
import java.util.List;
import java.util.UUID;

/**
 * What {@link io.crmkit.campaigns.CampaignsModule} puts on a Crm: its mapper, the tenant service
 * {@link CampaignService}, and its part in customer merges.
 */
public final class CampaignsInstallation {
  private CampaignsInstallation() {}

  /** The module's mapper interfaces, each with its XML beside it. */
  public static List<Class<?>> mappers() {
    return List.of(CampaignMapper.class);
  }

  /** Registers {@link CampaignService} for every scope. */
  public static void install(ModuleContext context) {
    context.tenantService(CampaignService.class, Campaigns::new);
  }

  /** The duplicate's places in campaigns now reach the survivor (unless a campaign has it already). */
  public static void mergeCustomers(TenantTransaction tx, UUID survivor, UUID duplicate) {
    tx.mapper(CampaignMapper.class).moveToCustomer(tx.organizationId(), survivor, duplicate);
  }
}
