package io.crmkit.billing.internal;

import io.crmkit.billing.BillingJobs;
import io.crmkit.billing.BillingService;
import io.crmkit.billing.StripeWebhook;
import io.crmkit.core.spi.ModuleContext;
import java.util.List;
import java.util.UUID;

/** What {@link io.crmkit.billing.BillingModule} puts on a Crm: its mapper and its services. */
public final class BillingInstallation {
  private BillingInstallation() {}

  /** The module's mapper interfaces, each with its XML beside it. */
  public static List<Class<?>> mappers() {
    return List.of(BillingMapper.class, UsageMapper.class);
  }

  /**
   * The module without settings: each service refuses, saying how to configure it. The plan of an
   * organization then changes only by platform operations.
   */
  public static void unconfigured(ModuleContext context) {
    String reason = "crm-billing is on the class path but not configured: give the Crm"
        + " BillingModule.builder().secretKey(…).webhookSecret(…).build()";
    context.unavailable(BillingService.class, reason);
    context.unavailable(BillingJobs.class, reason);
    context.unavailable(StripeWebhook.class, reason);
  }

  /** Registers {@link BillingService} for every scope, and {@link StripeWebhook} and {@link BillingJobs} on the Crm. */
  public static void install(ModuleContext context, BillingSettings settings) {
    StripeGateway stripe = new StripeGateway(settings);
    BillingSync sync = new BillingSync(context.crm(), settings.gracePeriod(), settings.fallbackPlan());
    context.tenantService(BillingService.class, scope -> new SqlBillingService(scope, stripe));
    context.crmService(BillingJobs.class, new SqlBillingJobs(sync, new UsageRecording(context.crm(), settings.meters()),
        new MeterReporting(context.crm(), stripe), !settings.meters().isEmpty()));
    // Also without a webhook: letters an earlier configuration kept stay replayable.
    context.deadLetterSource(SqlStripeWebhook.SOURCE, (tx, event) -> {
      StripeEvents.apply(tx, event);
      if (event.path("type").asText().startsWith("customer.subscription.")) {
        UUID organizationId = tx.organizationId();
        tx.afterCommit(() -> sync.sync(organizationId));
      }
    });
    if (settings.webhookSecret() != null) {
      context.crmService(StripeWebhook.class, new SqlStripeWebhook(context.crm(), settings.webhookSecret(), sync));
    } else {
      context.unavailable(StripeWebhook.class, "crm-billing was configured without a webhook secret: give"
          + " BillingModule.builder().webhookSecret(…)");
    }
  }
}
