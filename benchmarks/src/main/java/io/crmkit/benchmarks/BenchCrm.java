package io.crmkit.benchmarks;

import io.crmkit.core.Crm;
import io.crmkit.whatsapp.SessionKeys;
import io.crmkit.whatsapp.WhatsAppModule;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The Crm every benchmark measures: crm-whatsapp is on this module's class path, so it is
 * configured (with the recording fake as its channel, and the webhook benchmark's Meta app), as a
 * host that has it must.
 */
final class BenchCrm {
  /** The Meta app whose secret signs the webhook benchmark's deliveries. */
  static final String APP = "1234567890";
  static final String SECRET = "bench-app-secret";

  private BenchCrm() {}

  /** A Crm on {@code runtime} (migrations through {@code admin}), not yet migrated. */
  static Crm start(DataSource runtime, DataSource admin) {
    return Crm.builder().dataSource(runtime).migrationDataSource(admin)
        .module(WhatsAppModule.builder().sessionKeys(SessionKeys.of("k", Map.of("k", new byte[32])))
            .gateway(new FakeWhatsAppGateway()).verifyToken("v").app(APP, SECRET).build())
        .build();
  }
}
