package io.crmkit.campaigns;

import io.crmkit.campaigns.internal.CampaignsInstallation;
import io.crmkit.core.spi.CrmModule;
import io.crmkit.core.spi.ModuleContext;
import io.crmkit.core.spi.TenantTransaction;
import java.util.List;
import java.util.UUID;

/**
 * crm-campaigns as a module of a {@link io.crmkit.core.Crm}: found on the class path (it has no
 * settings of its own; crm-whatsapp, which it sends through, has), it migrates its tables after
 * core's and crm-whatsapp's and offers each organization's {@link CampaignService}, reached from
 * the scope.
 *
 * <pre>{@code
 * CampaignService campaigns = crm.tenant(orgId).as(userId).service(CampaignService.class);
 * }</pre>
 */
public final class CampaignsModule implements CrmModule {

  /** The module; {@code Crm} finds it with {@link java.util.ServiceLoader}. */
  public CampaignsModule() {}

  /** {@code "campaigns"}. */
  @Override
  public String name() {
    return "campaigns";
  }

  /** Core and crm-whatsapp: campaigns reference customers, users and WhatsApp profiles. */
  @Override
  public List<String> dependsOn() {
    return List.of("core", "whatsapp");
  }

  /** The mapper of campaigns and their recipients. */
  @Override
  public List<Class<?>> mappers() {
    return CampaignsInstallation.mappers();
  }

  /** Registers {@link CampaignService} as a tenant service: {@code scope.service(CampaignService.class)}. */
  @Override
  public void install(ModuleContext context) {
    CampaignsInstallation.install(context);
  }

  /** The duplicate's places in campaigns now reach the survivor. */
  @Override
  public void mergeCustomers(TenantTransaction tx, UUID survivor, UUID duplicate) {
    CampaignsInstallation.mergeCustomers(tx, survivor, duplicate);
  }
}
