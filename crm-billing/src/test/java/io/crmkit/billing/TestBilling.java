package io.crmkit.billing;

import com.stripe.net.Webhook;
import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.testdb.Jdbc;
import io.crmkit.testdb.MutableClock;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A migrated Crm with crm-billing pointed at a local Stripe stub, on a fresh database as the
 * runtime role, with a clock the tests move; organizations with a Stripe customer; and webhook
 * deliveries signed exactly as Stripe signs them.
 */
final class TestBilling implements AutoCloseable {
  static final String WEBHOOK_SECRET = "whsec_testsecret";
  final TestDatabase db;
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T09:00:00Z"));
  final StripeStub stripe = new StripeStub();
  final Crm crm;

  TestBilling() {
    this(module -> { });
  }

  /** With {@code settings} added to the module's (meters). */
  TestBilling(java.util.function.Consumer<BillingModule.Builder> settings) {
    db = TestPostgres.shared().createDatabase();
    BillingModule.Builder module = BillingModule.builder().secretKey("sk_test_crmkit").webhookSecret(WEBHOOK_SECRET)
        .apiBase(stripe.base());
    settings.accept(module);
    crm = Crm.builder().dataSource(db.runtimeDataSource()).migrationDataSource(db.adminDataSource()).clock(clock)
        .module(module.build()).build();
    crm.migrate();
    crm.platform().setStripePrices("professional", java.util.Optional.of("price_pro_month"),
        java.util.Optional.of("price_pro_year"));
  }

  /** An organization and its admin's scope. */
  record Org(UUID id, TenantScope admin, ProvisionedOrganization provisioned) {
    BillingService billing() {
      return admin.service(BillingService.class);
    }
  }

  Org org() {
    String slug = "org-" + UUID.randomUUID().toString().substring(0, 8);
    ProvisionedOrganization org = crm.platform().provision(OrganizationDraft.builder().name("Org " + slug).slug(slug)
        .plan("lite").defaultRegion("SA").admin("admin@" + slug + ".example").build());
    return new Org(org.organization().id(), crm.tenant(org.organization().id()).as(org.admin().id()), org);
  }

  /** An organization whose Stripe customer is {@code customer} (as its first checkout makes it). */
  Org orgWithCustomer(String customer) {
    Org org = org();
    db.executeAsAdmin("insert into crm.billing_customers (organization_id, stripe_customer_id) values ('" + org.id()
        + "', '" + customer + "')");
    return org;
  }

  /** A delivery of {@code json} (' for ") signed now by the tests' clock. */
  StripeWebhook.Response deliver(String json) {
    return deliver(json, clock.instant());
  }

  /** A delivery of {@code json} (' for ") signed at {@code signedAt}. */
  StripeWebhook.Response deliver(String json, Instant signedAt) {
    String payload = json.replace('\'', '"');
    try {
      String header = Webhook.Signature.generateSignatureHeader(payload, WEBHOOK_SECRET, signedAt.getEpochSecond());
      return crm.service(StripeWebhook.class).receive(payload.getBytes(StandardCharsets.UTF_8), header);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A Stripe event of {@code type} about {@code object} (JSON, ' for "), created at {@code created}. */
  static String event(String id, String type, Instant created, String object) {
    return "{'id':'" + id + "','object':'event','api_version':'2026-07-29.dahlia','created':" + created.getEpochSecond()
        + ",'type':'" + type + "','livemode':false,'pending_webhooks':1,'data':{'object':" + object + "}}";
  }

  /** The rows of {@code sql}, read as the superuser, each as one text. */
  List<String> rows(String sql, Object... parameters) {
    try (Connection c = db.adminDataSource().getConnection()) {
      return Jdbc.rows(c, sql, parameters);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    crm.close();
    db.close();
    stripe.close();
  }
}
