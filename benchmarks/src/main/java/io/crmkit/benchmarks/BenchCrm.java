package io.crmkit.benchmarks;

import io.crmkit.billing.BillingModule;
import io.crmkit.core.Crm;
import io.crmkit.whatsapp.SessionKeys;
import io.crmkit.whatsapp.WhatsAppModule;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The Crm every benchmark measures: crm-whatsapp and crm-billing are on this module's class path,
 * so they are configured (the recording fake as WhatsApp's channel, the webhook benchmarks' Meta app
 * and Stripe secret; no benchmark calls Stripe), as a host that has them must.
 */
final class BenchCrm {
  /** The Meta app whose secret signs the webhook benchmark's deliveries. */
  static final String APP = "1234567890";
  static final String SECRET = "bench-app-secret";
  /** The secret that signs the billing benchmark's Stripe events. */
  static final String STRIPE_WEBHOOK_SECRET = "whsec_bench";

  private BenchCrm() {}

  /** A Crm on {@code runtime} (migrations through {@code admin}), not yet migrated. */
  static Crm start(DataSource runtime, DataSource admin) {
    return Crm.builder().dataSource(runtime).migrationDataSource(admin)
        .module(WhatsAppModule.builder().sessionKeys(SessionKeys.of("k", Map.of("k", new byte[32])))
            .gateway(new FakeWhatsAppGateway()).verifyToken("v").app(APP, SECRET).build())
        .module(BillingModule.builder().secretKey("sk_test_bench").webhookSecret(STRIPE_WEBHOOK_SECRET).build())
        .build();
  }
}
