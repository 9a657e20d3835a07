package io.crmkit.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.core.Crm;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.spi.TenantWork;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Metered usage reported to Stripe's billing meters against a local stub that checks the exact
 * form stripe-java sends: queued with the recording, sent with its identifier as the idempotency
 * key, retried until accepted, never sent again once Stripe may have it and may have forgotten the
 * identifier, expired after Stripe's 35-day window, and sent once by two jobs at once.
 */
class MeterReportingTest {
  private static final String EVENT = "crmkit_messages";
  private static TestBilling t;
  private static BillingJobs jobs;

  @BeforeAll
  static void setUp() {
    t = new TestBilling(module -> module.meter(UsageMetric.MESSAGES_SENT, EVENT));
    jobs = t.crm.service(BillingJobs.class);
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  @BeforeEach
  void clear() {
    // Earlier tests' events are settled or left unknown; start each with nothing due.
    t.clock.advance(Duration.ofDays(40));
    jobs.reportUsage(1000);
    t.stripe.clear();
  }

  private static TestBilling.Org customerWithMessages(long messages) {
    TestBilling.Org org = t.orgWithCustomer("cus_meter" + Long.toHexString(System.nanoTime()));
    TenantWork.call(org.admin(), tx -> {
      tx.takeWithinLimit("messages_sent", LocalDate.ofInstant(t.clock.instant(), ZoneOffset.UTC), messages,
          Limit.MESSAGES_PER_DAY);
      return null;
    });
    return org;
  }

  private static String customerOf(TestBilling.Org org) {
    return t.rows("select stripe_customer_id from crm.billing_customers where organization_id = ?", org.id()).get(0);
  }

  private static void record() {
    t.clock.advance(Duration.ofMinutes(2));
    jobs.recordUsage(1000);
  }

  private static List<StripeStub.Request> meterRequests() {
    return t.stripe.requests().stream().filter(r -> r.path().equals("/v1/billing/meter_events")).toList();
  }

  @Test
  void usageIsSentOnceWithItsIdentifierAsTheIdempotencyKey() {
    TestBilling.Org acme = customerWithMessages(5);
    TestBilling.Org noCustomer = t.org();
    TenantWork.call(noCustomer.admin(), tx -> {
      tx.takeWithinLimit("messages_sent", LocalDate.ofInstant(t.clock.instant(), ZoneOffset.UTC), 3,
          Limit.MESSAGES_PER_DAY);
      return null;
    });
    record();
    long recordedAt = t.clock.instant().getEpochSecond();
    String identifier = "crmkit-" + t.rows("select id from crm.meter_events where organization_id = ?", acme.id())
        .get(0);
    assertThat(jobs.reportUsage(100)).isEqualTo(new MeterReport(1, 0, 0, 0));
    assertThat(meterRequests()).singleElement().satisfies(request -> {
      assertThat(request.method()).isEqualTo("POST");
      assertThat(request.form()).containsExactlyInAnyOrderEntriesOf(Map.of("event_name", EVENT,
          "identifier", identifier, "payload[stripe_customer_id]", customerOf(acme), "payload[value]", "5",
          "timestamp", Long.toString(recordedAt)));
      assertThat(request.idempotencyKey()).isEqualTo(identifier);
      assertThat(request.authorization()).isEqualTo("Bearer sk_test_crmkit");
    });
    assertThat(t.rows("select count(*) from crm.meter_events where organization_id = ?", noCustomer.id()))
        .as("no Stripe customer, nothing to meter").containsExactly("0");

    assertThat(jobs.reportUsage(100).total()).as("nothing due any more").isZero();
    TenantWork.call(acme.admin(), tx -> {
      tx.takeWithinLimit("messages_sent", LocalDate.ofInstant(t.clock.instant(), ZoneOffset.UTC), 2,
          Limit.MESSAGES_PER_DAY);
      return null;
    });
    record();
    assertThat(jobs.reportUsage(100)).isEqualTo(new MeterReport(1, 0, 0, 0));
    assertThat(meterRequests()).extracting(r -> r.form().get("payload[value]")).containsExactly("5", "2");
    assertThat(meterRequests()).extracting(r -> r.form().get("identifier")).doesNotHaveDuplicates();
    assertThat(t.rows("select status, attempts from crm.meter_events where organization_id = ? order by occurred_at",
        acme.id())).containsExactly("accepted 1", "accepted 1");
  }

  @Test
  void aFailedAttemptIsSentAgainAsTheSameEventUntilAccepted() {
    TestBilling.Org acme = customerWithMessages(7);
    record();
    t.stripe.answerNext(500);
    assertThat(jobs.reportUsage(100)).isEqualTo(new MeterReport(0, 1, 0, 0));
    assertThat(jobs.reportUsage(100).total()).as("not before its next attempt").isZero();
    t.clock.advance(Duration.ofMinutes(1));
    // The connection drops after the request went out: the JDK's HttpURLConnection sends the same
    // request again by itself (its retryPost), with the same idempotency key.
    t.stripe.answerNext(-1);
    assertThat(jobs.reportUsage(100)).isEqualTo(new MeterReport(1, 0, 0, 0));
    assertThat(meterRequests()).hasSize(3).allSatisfy(request -> {
      assertThat(request.form()).isEqualTo(meterRequests().get(0).form());
      assertThat(request.idempotencyKey()).isEqualTo(request.form().get("identifier"));
    });
    assertThat(t.rows("select status, attempts, maybe_sent_at is not null from crm.meter_events"
        + " where organization_id = ?", acme.id())).containsExactly("accepted 2 t");
  }

  @Test
  void anAttemptThatNeverSettledCountsAsSentAndIsNotSentAgainOnceStripeMayHaveForgottenIt() {
    TestBilling.Org soon = customerWithMessages(2);
    TestBilling.Org late = customerWithMessages(3);
    record();
    // A job claimed both and died before it settled them: Stripe may have either.
    t.db.executeAsAdmin("update crm.meter_events set next_attempt_at = '" + t.clock.instant().plusSeconds(300)
        + "', in_flight_since = '" + t.clock.instant() + "' where organization_id in ('" + soon.id() + "', '"
        + late.id() + "')");
    assertThat(jobs.reportUsage(100).total()).as("claimed: left alone").isZero();
    t.clock.advance(Duration.ofMinutes(6));
    t.db.executeAsAdmin("update crm.meter_events set next_attempt_at = '" + t.clock.instant().plus(Duration.ofDays(1))
        + "' where organization_id = '" + late.id() + "'");
    assertThat(jobs.reportUsage(100)).as("within a day: sent again, recognized by Stripe")
        .isEqualTo(new MeterReport(1, 0, 0, 0));
    t.clock.advance(Duration.ofDays(1));
    assertThat(jobs.reportUsage(100)).as("a day on: Stripe may have forgotten it").isEqualTo(new MeterReport(0, 0, 0, 1));
    assertThat(meterRequests()).extracting(r -> r.form().get("payload[value]")).containsExactly("2");
  }

  @Test
  void onlyGrowthAboveWhatWasReportedIsSentNeverAUnitGivenBack() {
    TestBilling.Org acme = customerWithMessages(5);
    record();
    jobs.reportUsage(100);
    TenantWork.call(acme.admin(), tx -> {
      tx.giveBack("messages_sent", LocalDate.ofInstant(t.clock.instant(), ZoneOffset.UTC), 2);
      return null;
    });
    record();
    assertThat(jobs.reportUsage(100).total()).as("nothing new above what was reported").isZero();
    TenantWork.call(acme.admin(), tx -> {
      tx.takeWithinLimit("messages_sent", LocalDate.ofInstant(t.clock.instant(), ZoneOffset.UTC), 3,
          Limit.MESSAGES_PER_DAY);
      return null;
    });
    record();
    jobs.reportUsage(100);
    assertThat(meterRequests()).extracting(r -> r.form().get("payload[value]")).containsExactly("5", "1");
    assertThat(acme.billing().usage(1)).filteredOn(r -> r.metric() == UsageMetric.MESSAGES_SENT)
        .extracting(UsageRecord::quantity).containsExactly(6L);
  }

  @Test
  void anAttemptThatMayHaveArrivedIsNotSentAgainOnceStripeMayHaveForgottenIt() {
    TestBilling.Org acme = customerWithMessages(4);
    record();
    t.stripe.answerNext(502);
    assertThat(jobs.reportUsage(100).retrying()).isEqualTo(1);
    t.clock.advance(Duration.ofHours(24));
    assertThat(jobs.reportUsage(100)).isEqualTo(new MeterReport(0, 0, 0, 1));
    assertThat(meterRequests()).as("no second request").hasSize(1);
    assertThat(t.rows("select status from crm.meter_events where organization_id = ?", acme.id()))
        .containsExactly("unknown");
  }

  @Test
  void aRefusedAttemptIsRetriedBeyondADayAndExpiresAfterStripesWindow() {
    TestBilling.Org acme = customerWithMessages(3);
    record();
    t.stripe.answerNext(400, 429);
    assertThat(jobs.reportUsage(100).retrying()).isEqualTo(1);
    t.clock.advance(Duration.ofHours(24));
    assertThat(jobs.reportUsage(100).retrying()).as("Stripe recorded nothing it refused").isEqualTo(1);
    t.clock.advance(Duration.ofHours(24));
    assertThat(jobs.reportUsage(100)).isEqualTo(new MeterReport(1, 0, 0, 0));

    TestBilling.Org globex = customerWithMessages(2);
    record();
    t.stripe.answerNext(400);
    jobs.reportUsage(100);
    t.stripe.clear();
    t.clock.advance(Duration.ofDays(35));
    assertThat(jobs.reportUsage(100)).isEqualTo(new MeterReport(0, 0, 1, 0));
    assertThat(meterRequests()).isEmpty();
    assertThat(t.rows("select status from crm.meter_events where organization_id in (?, ?) order by occurred_at",
        acme.id(), globex.id())).containsExactly("accepted", "expired");
  }

  @Test
  void aConnectionNeverMadeIsRetriedBeyondADay() {
    TestBilling.Org acme = customerWithMessages(6);
    record();
    try (Crm unreachable = Crm.builder().dataSource(t.db.runtimeDataSource()).clock(t.clock)
        .module(BillingModule.builder().secretKey("sk_test_crmkit").apiBase(URI.create("http://127.0.0.1:1"))
            .meter(UsageMetric.MESSAGES_SENT, EVENT).build()).build()) {
      assertThat(unreachable.service(BillingJobs.class).reportUsage(100).retrying()).isEqualTo(1);
    }
    assertThat(t.rows("select maybe_sent_at is null from crm.meter_events where organization_id = ?", acme.id()))
        .containsExactly("t");
    t.clock.advance(Duration.ofHours(25));
    assertThat(jobs.reportUsage(100)).isEqualTo(new MeterReport(1, 0, 0, 0));
  }

  @Test
  void twoJobsAtOnceSendEachEventOnce() throws Exception {
    for (int i = 0; i < 12; i++) {
      customerWithMessages(i + 1);
    }
    record();
    CompletableFuture<MeterReport> one = CompletableFuture.supplyAsync(() -> jobs.reportUsage(1000));
    CompletableFuture<MeterReport> two = CompletableFuture.supplyAsync(() -> jobs.reportUsage(1000));
    assertThat(one.get().accepted() + two.get().accepted()).isEqualTo(12);
    assertThat(meterRequests()).hasSize(12);
    assertThat(meterRequests().stream().collect(Collectors.groupingBy(r -> r.form().get("identifier"))))
        .hasSize(12);
  }
}
