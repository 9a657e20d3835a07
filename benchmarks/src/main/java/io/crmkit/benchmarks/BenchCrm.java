package io.crmkit.benchmarks;

import io.crmkit.billing.BillingModule;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.crmkit.core.Crm;
import io.crmkit.whatsapp.SessionKeys;
import io.crmkit.whatsapp.WhatsAppModule;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
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

  /** A fresh database, a pool of its runtime role and a migrated Crm on it; closed together, Crm first. */
  record Setup(TestDatabase db, HikariDataSource pool, Crm crm) implements AutoCloseable {
    @Override
    public void close() {
      closeAll(null, crm, pool, db);
    }
  }

  /** A {@link Setup} whose pool holds at most {@code poolSize} connections. */
  static Setup open(int poolSize) {
    TestDatabase db = TestPostgres.shared().createDatabase();
    HikariDataSource pool = null;
    Crm crm = null;
    try {
      HikariConfig config = new HikariConfig();
      config.setDataSource(db.runtimeDataSource());
      config.setMaximumPoolSize(poolSize);
      pool = new HikariDataSource(config);
      crm = start(pool, db.adminDataSource());
      crm.migrate();
      return new Setup(db, pool, crm);
    } catch (RuntimeException | Error e) {
      closeAll(e, crm, pool, db);
      throw e;
    }
  }

  /**
   * Closes each of {@code resources} (nulls skipped) in order, whatever the others do; a failure
   * is added to {@code failure} as suppressed, or, without one, the first is thrown with the later ones suppressed.
   */
  private static void closeAll(Throwable failure, AutoCloseable... resources) {
    Throwable first = failure;
    for (AutoCloseable resource : resources) {
      if (resource == null) {
        continue;
      }
      try {
        resource.close();
      } catch (Exception | Error e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (failure == null && first != null) {
      if (first instanceof RuntimeException r) {
        throw r;
      }
      if (first instanceof Error r) {
        throw r;
      }
      throw new IllegalStateException("closing the benchmark's database", first);
    }
  }

  /** A Crm on {@code runtime} (migrations through {@code admin}), not yet migrated. */
  static Crm start(DataSource runtime, DataSource admin) {
    return Crm.builder().dataSource(runtime).migrationDataSource(admin)
        .module(WhatsAppModule.builder().sessionKeys(SessionKeys.of("k", Map.of("k", new byte[32])))
            .gateway(new FakeWhatsAppGateway()).verifyToken("v").app(APP, SECRET).build())
        .module(BillingModule.builder().secretKey("sk_test_bench").webhookSecret(STRIPE_WEBHOOK_SECRET).build())
        .build();
  }
}
