package io.crmkit.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.testdb.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code usage_records} from crm-core's counters: what they grew by added to the billing period
 * once (a crash or a second job counts nothing twice), levels at their highest, the subscription's
 * period when one runs, and each organization's usage its own.
 */
class UsageRecordingTest {
  private static final Instant MARCH_1 = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant APRIL_1 = Instant.parse("2026-04-01T00:00:00Z");
  private static TestBilling t;
  private static BillingJobs jobs;

  @BeforeAll
  static void setUp() {
    t = new TestBilling();
    jobs = t.crm.service(BillingJobs.class);
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  /** Counts {@code amount} of {@code metric} in {@code period}, as the modules do when they send or open. */
  private static void count(TestBilling.Org org, String metric, LocalDate period, long amount, Limit limit) {
    TenantWork.call(org.admin(), tx -> {
      tx.takeWithinLimit(metric, period, amount, limit);
      return null;
    });
  }

  private static void messages(TestBilling.Org org, long amount) {
    count(org, "messages_sent", LocalDate.ofInstant(t.clock.instant(), java.time.ZoneOffset.UTC), amount,
        Limit.MESSAGES_PER_DAY);
  }

  private static Map<UsageMetric, Long> usage(TestBilling.Org org) {
    Map<UsageMetric, Long> quantities = new LinkedHashMap<>();
    for (UsageRecord record : org.billing().usage(1)) {
      quantities.put(record.metric(), record.quantity());
    }
    return quantities;
  }

  private static Customer customer(TestBilling.Org org, String name) {
    return org.admin().customers().create(CustomerDraft.builder().fullName(name).build());
  }

  @Test
  void whatTheCountersGrewByIsAddedToThePeriodOnceAndLevelsKeepTheirHighest() {
    TestBilling.Org acme = t.org();
    count(acme, "messages_sent", LocalDate.parse("2026-02-20"), 7, Limit.MESSAGES_PER_DAY);
    messages(acme, 5);
    count(acme, "tickets_opened", LocalDate.parse("2026-03-01"), 2, Limit.TICKETS_PER_MONTH);
    customer(acme, "Huda");
    Customer second = customer(acme, "Omar");
    TenantWork.call(acme.admin(), tx -> {
      tx.count(io.crmkit.core.spi.TenantTransaction.STORAGE_BYTES, LocalDate.EPOCH, 2048);
      return null;
    });

    assertThat(jobs.recordUsage(1000)).isPositive();
    assertThat(jobs.recordUsage(1000)).as("everyone was recorded within the minute").isZero();
    assertThat(usage(acme)).as("February's messages are before this period").containsExactly(
        Map.entry(UsageMetric.MESSAGES_SENT, 5L), Map.entry(UsageMetric.TICKETS_OPENED, 2L),
        Map.entry(UsageMetric.CAMPAIGNS_STARTED, 0L), Map.entry(UsageMetric.CUSTOMERS, 2L),
        Map.entry(UsageMetric.USERS, 1L), Map.entry(UsageMetric.WHATSAPP_PROFILES, 0L),
        Map.entry(UsageMetric.STORAGE_BYTES, 2048L));
    assertThat(acme.billing().usage(1)).allSatisfy(record -> {
      assertThat(record.periodStart()).as("no subscription: the calendar month").isEqualTo(MARCH_1);
      assertThat(record.periodEnd()).isEqualTo(APRIL_1);
      assertThat(record.recordedAt()).isEqualTo(t.clock.instant());
    });

    t.clock.advance(Duration.ofMinutes(2));
    messages(acme, 3);
    count(acme, "messages_sent", LocalDate.parse("2026-02-20"), 1, Limit.MESSAGES_PER_DAY);
    acme.admin().customers().delete(second.id());
    jobs.recordUsage(1000);
    assertThat(usage(acme)).containsEntry(UsageMetric.MESSAGES_SENT, 9L)
        .as("the highest level of the period").containsEntry(UsageMetric.CUSTOMERS, 2L);

    t.clock.advance(Duration.ofMinutes(2));
    jobs.recordUsage(1000);
    assertThat(usage(acme)).as("nothing grew").containsEntry(UsageMetric.MESSAGES_SENT, 9L);
    assertThat(t.rows("select count(*) from crm.usage_records where organization_id = ?", acme.id()))
        .as("one row per metric and period").containsExactly("7");
  }

  @Test
  void aRunningSubscriptionsCurrentPeriodIsTheBillingPeriod() {
    String cus = "cus_usage" + Long.toHexString(System.nanoTime());
    TestBilling.Org acme = t.orgWithCustomer(cus);
    // A period that ends within the hour, so the test moves the shared clock only a little.
    Instant start = t.clock.instant().minus(Duration.ofDays(30)).plus(Duration.ofHours(1));
    Instant end = start.plus(Duration.ofDays(30));
    assertThat(t.deliver(TestBilling.event("evt_usage" + Long.toHexString(System.nanoTime()),
        "customer.subscription.created", t.clock.instant(), "{'id':'sub_usage1','object':'subscription','customer':'"
            + cus + "','status':'active','cancel_at_period_end':false,'items':{'data':[{'id':'si_1',"
            + "'current_period_start':" + start.getEpochSecond() + ",'current_period_end':" + end.getEpochSecond()
            + ",'price':{'id':'price_pro_month','unit_amount':9900,'currency':'usd'}}]}}")).status())
        .isEqualTo(200);
    messages(acme, 4);
    t.clock.advance(Duration.ofMinutes(2));
    jobs.recordUsage(1000);
    assertThat(acme.billing().usage(24)).hasSize(UsageMetric.values().length).allSatisfy(record -> {
      assertThat(record.periodStart()).isEqualTo(start);
      assertThat(record.periodEnd()).isEqualTo(end);
    });
    assertThat(usage(acme)).containsEntry(UsageMetric.MESSAGES_SENT, 4L);

    // The renewal's event is late: usage goes to the next period by the subscription's interval.
    t.clock.set(end.plus(Duration.ofHours(2)));
    messages(acme, 1);
    jobs.recordUsage(1000);
    Instant renewed = end.atZone(java.time.ZoneOffset.UTC).plusMonths(1).toInstant();
    assertThat(acme.billing().usage(1)).allSatisfy(record -> {
      assertThat(record.periodStart()).isEqualTo(end);
      assertThat(record.periodEnd()).isEqualTo(renewed);
    });
    assertThat(usage(acme)).containsEntry(UsageMetric.MESSAGES_SENT, 1L);
  }

  @Test
  void twoJobsAtOnceRecordEachUnitOnce() throws Exception {
    List<TestBilling.Org> orgs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      orgs.add(t.org());
      messages(orgs.get(i), 10);
    }
    for (int round = 0; round < 3; round++) {
      t.clock.advance(Duration.ofMinutes(2));
      CompletableFuture<Integer> one = CompletableFuture.supplyAsync(() -> jobs.recordUsage(1000));
      CompletableFuture<Integer> two = CompletableFuture.supplyAsync(() -> jobs.recordUsage(1000));
      assertThat(one.get() + two.get()).as("each organization recorded by one of them")
          .isEqualTo(Integer.parseInt(t.rows("select count(*) from crm.organizations").get(0)));
      orgs.forEach(org -> messages(org, 1));
    }
    assertThat(orgs).allSatisfy(org -> assertThat(usage(org)).containsEntry(UsageMetric.MESSAGES_SENT, 12L));
  }

  @Test
  void eachOrganizationReadsItsOwnUsageAndTheJobsFunctionsRunOutsideAnyTenant() throws SQLException {
    TestBilling.Org acme = t.org();
    TestBilling.Org globex = t.org();
    messages(acme, 2);
    t.clock.advance(Duration.ofMinutes(2));
    jobs.recordUsage(1000);
    assertThat(usage(acme)).containsEntry(UsageMetric.MESSAGES_SENT, 2L);
    assertThat(usage(globex)).containsEntry(UsageMetric.MESSAGES_SENT, 0L);
    try (Connection c = t.db.runtimeDataSource().getConnection()) {
      c.setAutoCommit(false);
      assertThat(Jdbc.rows(c, "select count(*) from crm.usage_records")).as("no tenant: no rows").containsExactly("0");
      Jdbc.rows(c, "select set_config('app.current_organization_id', ?, true)", globex.id().toString());
      assertThat(Jdbc.rows(c, "select count(*) from crm.usage_records where organization_id = ?", acme.id()))
          .containsExactly("0");
      assertThatThrownBy(() -> Jdbc.rows(c, "select * from crm.billing_usage_due(now(), 10)"))
          .isInstanceOf(SQLException.class).hasMessageContaining("outside any tenant");
      c.rollback();
      Jdbc.rows(c, "select set_config('app.current_organization_id', ?, true)", globex.id().toString());
      assertThatThrownBy(() -> Jdbc.rows(c, "select * from crm.billing_meter_events_due(now(), 10)"))
          .isInstanceOf(SQLException.class).hasMessageContaining("outside any tenant");
      c.rollback();
    }
  }

  @Test
  void badInputChangesNothing() {
    TestBilling.Org acme = t.org();
    assertThatThrownBy(() -> jobs.recordUsage(0)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> jobs.recordUsage(1001)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> acme.billing().usage(0)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> acme.billing().usage(25)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> jobs.reportUsage(10)).as("nothing is metered")
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(".meter(");
    BillingModule.Builder builder = BillingModule.builder().secretKey("sk_test_x");
    assertThatThrownBy(() -> builder.meter(UsageMetric.CUSTOMERS, "customers"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("level");
    assertThatThrownBy(() -> builder.meter(UsageMetric.MESSAGES_SENT, " "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.meter(UsageMetric.MESSAGES_SENT, "x".repeat(101)))
        .isInstanceOf(IllegalArgumentException.class);
    builder.meter(UsageMetric.MESSAGES_SENT, "messages");
    assertThatThrownBy(() -> builder.meter(UsageMetric.MESSAGES_SENT, "again"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("messages");
    assertThat(t.rows("select count(*) from crm.usage_records where organization_id = ?", acme.id()))
        .containsExactly("0");
  }
}
