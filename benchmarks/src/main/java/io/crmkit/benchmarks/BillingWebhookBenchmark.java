package io.crmkit.benchmarks;

import com.stripe.net.Webhook;
import com.zaxxer.hikari.HikariDataSource;
import io.crmkit.billing.StripeWebhook;
import io.crmkit.core.Crm;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Stripe's webhook end to end (signature check, parse, route by customer, the event stored once,
 * its invoice mirrored) with a new {@code invoice.paid} event per delivery, against hand-written
 * JDBC doing the same work: the same signature check, the routing function, and in a tenant
 * transaction the event row, the invoice upsert and the event's outcome; in the same run.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am install -DskipTests && ./mvnw -q -pl benchmarks exec:java
 * -Dexec.mainClass=io.crmkit.benchmarks.BillingWebhookBenchmark}.
 */
public final class BillingWebhookBenchmark {
  private static final String CUSTOMER = "cus_bench1";

  private BillingWebhookBenchmark() {}

  public static void main(String[] args) throws Exception {
    try {
      run(2, 5);
    } finally {
      TestPostgres.stop();
    }
  }

  private static void run(int seconds, int rounds) throws Exception {
    try (BenchCrm.Setup setup = BenchCrm.open(2)) {
      TestDatabase db = setup.db();
      HikariDataSource pool = setup.pool();
      Crm crm = setup.crm();
      ProvisionedOrganization org = crm.platform().provision(OrganizationDraft.builder().name("Bench").slug("bench")
          .plan("enterprise").defaultRegion("SA").admin("admin@bench.example").build());
      UUID orgId = org.organization().id();
      db.executeAsAdmin("insert into crm.billing_customers (organization_id, stripe_customer_id) values ('" + orgId
          + "', '" + CUSTOMER + "')");
      StripeWebhook webhook = crm.service(StripeWebhook.class);
      AtomicLong n = new AtomicLong();
      for (int i = 0; i < 200; i++) {
        deliver(webhook, "warm" + n.incrementAndGet());
      }
      System.out.printf(Locale.ROOT, "server: %s; one tenant; a new invoice.paid per delivery; %d rounds of %d s%n",
          TestPostgres.shared().provider(), rounds, seconds);
      Measure.compare("Stripe events handled", rounds, seconds,
          "JDBC: the signature check, the routing function, INSERT event, upsert invoice, UPDATE outcome",
          () -> baseline(pool, "base" + n.incrementAndGet()),
          "StripeWebhook.receive: the same, with JSON parse and checks",
          () -> deliver(webhook, "crm" + n.incrementAndGet()));
    }
  }

  private static String payload(String id) {
    long now = Instant.now().getEpochSecond();
    return "{\"id\":\"evt_" + id + "\",\"object\":\"event\",\"api_version\":\"2026-07-29.dahlia\",\"created\":" + now
        + ",\"type\":\"invoice.paid\",\"data\":{\"object\":{\"id\":\"in_" + id + "\",\"object\":\"invoice\","
        + "\"customer\":\"" + CUSTOMER + "\",\"number\":\"B-" + id + "\",\"status\":\"paid\",\"currency\":\"usd\","
        + "\"subtotal\":9900,\"total\":9900,\"amount_due\":9900,\"amount_paid\":9900,\"created\":" + now
        + ",\"hosted_invoice_url\":\"https://invoice.stripe.com/i/" + id + "\"}}}";
  }

  private static String sign(String payload) throws Exception {
    return Webhook.Signature.generateSignatureHeader(payload, BenchCrm.STRIPE_WEBHOOK_SECRET,
        Instant.now().getEpochSecond());
  }

  private static void deliver(StripeWebhook webhook, String id) throws Exception {
    String payload = payload(id);
    StripeWebhook.Response answer = webhook.receive(payload.getBytes(StandardCharsets.UTF_8), sign(payload));
    if (answer.status() != 200) {
      throw new IllegalStateException("webhook answered " + answer);
    }
  }

  private static void baseline(DataSource pool, String id) throws Exception {
    String payload = payload(id);
    Webhook.Signature.verifyHeader(payload, sign(payload), BenchCrm.STRIPE_WEBHOOK_SECRET, 300);
    Instant now = Instant.now();
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(true);
      UUID org;
      try (PreparedStatement route = c.prepareStatement("select crm.billing_organization_of_customer(?)")) {
        route.setString(1, CUSTOMER);
        try (ResultSet rs = route.executeQuery()) {
          rs.next();
          org = rs.getObject(1, UUID.class);
        }
      }
      c.setAutoCommit(false);
      try (PreparedStatement set = c.prepareStatement("select set_config('app.current_organization_id', ?, true)");
          PreparedStatement event = c.prepareStatement("insert into crm.billing_events (organization_id,"
              + " stripe_event_id, type, api_version, object_id, created, received_at, outcome) values (?, ?,"
              + " 'invoice.paid', '2026-07-29.dahlia', ?, ?, ?, 'ignored') on conflict do nothing returning id");
          PreparedStatement invoice = c.prepareStatement("insert into crm.invoices (organization_id, stripe_invoice_id,"
              + " number, status, currency, subtotal_minor, total_minor, amount_due_minor, amount_paid_minor,"
              + " hosted_invoice_url, issued_at, stripe_event_at) values (?, ?, ?, 'paid', 'USD', 9900, 9900, 9900,"
              + " 9900, ?, ?, ?) on conflict (organization_id, stripe_invoice_id) do update set status = excluded.status,"
              + " stripe_event_at = excluded.stripe_event_at where invoices.stripe_event_at <= excluded.stripe_event_at");
          PreparedStatement outcome = c.prepareStatement("update crm.billing_events set outcome = 'applied'"
              + " where organization_id = ? and id = ?")) {
        set.setString(1, org.toString());
        set.execute();
        event.setObject(1, org);
        event.setString(2, "evt_" + id);
        event.setString(3, "in_" + id);
        event.setTimestamp(4, Timestamp.from(now));
        event.setTimestamp(5, Timestamp.from(now));
        UUID row;
        try (ResultSet rs = event.executeQuery()) {
          rs.next();
          row = rs.getObject(1, UUID.class);
        }
        invoice.setObject(1, org);
        invoice.setString(2, "in_" + id);
        invoice.setString(3, "B-" + id);
        invoice.setString(4, "https://invoice.stripe.com/i/" + id);
        invoice.setTimestamp(5, Timestamp.from(now));
        invoice.setTimestamp(6, Timestamp.from(now));
        invoice.executeUpdate();
        outcome.setObject(1, org);
        outcome.setObject(2, row);
        outcome.executeUpdate();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }
}
