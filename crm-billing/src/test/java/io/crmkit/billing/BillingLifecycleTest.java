package io.crmkit.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.exception.LimitExceededException;
import io.crmkit.core.platform.Entitlements;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.platform.Organization;
import io.crmkit.core.platform.SubscriptionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One organization walked from trial to active to past due (inside and after the grace period) to
 * canceled and back to active, through Stripe's signed events and the grace job, showing at each
 * step the plan and status crm-core keeps and what its entitlements allow: the limits and features
 * WhatsApp (profiles), ticketing and campaigns (bulk_sender) take, without knowing billing exists.
 * Data above the fallback plan's limits stays; only new records are refused.
 */
class BillingLifecycleTest {
  private static TestBilling t;

  @BeforeAll
  static void setUp() {
    t = new TestBilling();
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private static String subscriptionEvent(String sub, String customer, String status, Instant at) {
    return TestBilling.event("evt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16),
        "customer.subscription.updated", at, "{'id':'" + sub + "','object':'subscription','customer':'" + customer
            + "','status':'" + status + "','cancel_at_period_end':false,'items':{'data':[{'id':'si_1',"
            + "'current_period_end':" + at.plus(Duration.ofDays(30)).getEpochSecond()
            + ",'price':{'id':'price_pro_month','unit_amount':9900,'currency':'usd'}}]}}");
  }

  private static void step(TestBilling.Org org, String plan, SubscriptionStatus status, boolean bulkSender,
      boolean ticketing, long profiles) {
    Organization now = org.admin().organization().get();
    assertThat(now.planSlug()).as("plan").isEqualTo(plan);
    assertThat(now.status()).as("status").isEqualTo(status);
    Entitlements allows = org.admin().entitlements();
    assertThat(allows.hasFeature("bulk_sender")).as("campaigns' bulk_sender").isEqualTo(bulkSender);
    assertThat(allows.hasFeature("ticketing")).as("ticketing").isEqualTo(ticketing);
    assertThat(allows.limit(Limit.WHATSAPP_PROFILES)).as("WhatsApp profiles").isEqualTo(OptionalLong.of(profiles));
  }

  @Test
  void anOrganizationFollowsItsSubscriptionThroughTrialPaymentGraceCancellationAndBack() {
    String customer = "cus_walk" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    TestBilling.Org acme = t.orgWithCustomer(customer);
    step(acme, "lite", SubscriptionStatus.TRIALING, false, true, 2);
    BillingJobs jobs = t.crm.service(BillingJobs.class);

    Instant t0 = t.clock.instant();
    t.deliver(subscriptionEvent("sub_walk1", customer, "trialing", t0));
    step(acme, "professional", SubscriptionStatus.TRIALING, true, true, 5);
    t.deliver(subscriptionEvent("sub_walk1", customer, "active", t0.plusSeconds(10)));
    step(acme, "professional", SubscriptionStatus.ACTIVE, true, true, 5);
    for (int i = 0; i < 101; i++) {
      acme.admin().customers().create(CustomerDraft.builder().fullName("Customer " + i).build());
    }

    Instant pastDue = t0.plusSeconds(20);
    t.deliver(subscriptionEvent("sub_walk1", customer, "past_due", pastDue));
    step(acme, "professional", SubscriptionStatus.PAST_DUE, true, true, 5);
    t.clock.set(pastDue.plus(Duration.ofDays(7)).minusSeconds(1));
    assertThat(jobs.endGracePeriods(100)).as("inside the grace period").isZero();
    step(acme, "professional", SubscriptionStatus.PAST_DUE, true, true, 5);
    t.clock.set(pastDue.plus(Duration.ofDays(7)));
    assertThat(jobs.endGracePeriods(100)).isEqualTo(1);
    assertThat(jobs.endGracePeriods(100)).as("once").isZero();
    step(acme, "free", SubscriptionStatus.PAST_DUE, false, false, 1);
    assertThat(acme.admin().customers().list(io.crmkit.core.customers.CustomerQuery.builder().build(), 200,
        java.util.Optional.empty()).items()).as("nothing deleted, though free allows 100").hasSize(101);
    assertThatThrownBy(() -> acme.admin().customers().create(CustomerDraft.builder().fullName("One more").build()))
        .isInstanceOf(LimitExceededException.class);

    Instant paid = t.clock.instant();
    t.deliver(subscriptionEvent("sub_walk1", customer, "active", paid));
    step(acme, "professional", SubscriptionStatus.ACTIVE, true, true, 5);
    acme.admin().customers().create(CustomerDraft.builder().fullName("One more").build());

    t.deliver(subscriptionEvent("sub_walk1", customer, "canceled", paid.plusSeconds(10)));
    step(acme, "free", SubscriptionStatus.CANCELED, false, false, 1);
    t.deliver(subscriptionEvent("sub_walk2", customer, "active", paid.plusSeconds(20)));
    step(acme, "professional", SubscriptionStatus.ACTIVE, true, true, 5);
    assertThat(acme.billing().subscription().orElseThrow().stripeSubscriptionId()).isEqualTo("sub_walk2");
  }

  @Test
  void incompleteKeepsThePlanAndUnpaidOrAnExpiredFirstPaymentFallBack() {
    String customer = "cus_inc" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    TestBilling.Org acme = t.orgWithCustomer(customer);
    Instant t0 = t.clock.instant();
    t.deliver(subscriptionEvent("sub_inc1", customer, "incomplete", t0));
    step(acme, "lite", SubscriptionStatus.INCOMPLETE, false, true, 2);
    t.deliver(subscriptionEvent("sub_inc1", customer, "incomplete_expired", t0.plusSeconds(1)));
    step(acme, "free", SubscriptionStatus.INCOMPLETE_EXPIRED, false, false, 1);
    t.deliver(subscriptionEvent("sub_inc2", customer, "active", t0.plusSeconds(2)));
    t.deliver(subscriptionEvent("sub_inc2", customer, "unpaid", t0.plusSeconds(3)));
    step(acme, "free", SubscriptionStatus.UNPAID, false, false, 1);
    t.deliver(subscriptionEvent("sub_inc2", customer, "paused", t0.plusSeconds(4)));
    step(acme, "free", SubscriptionStatus.PAUSED, false, false, 1);
  }

  @Test
  void aTrialThatEndsBeforeAnySubscriptionFallsBackAndAPaymentBringsThePlanBack() {
    Instant start = t.clock.instant();
    TestBilling.Org unpaid = t.org();
    String customer = "cus_trial" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    TestBilling.Org stripeTrial = t.orgWithCustomer(customer);
    t.deliver(subscriptionEvent("sub_trial1", customer, "trialing", start));
    TestBilling.Org onFree = t.org();
    t.crm.platform().changePlan(onFree.id(), "free");
    BillingJobs jobs = t.crm.service(BillingJobs.class);

    t.clock.set(start.plus(Duration.ofDays(14)).minusSeconds(1));
    assertThat(jobs.endTrials(100)).as("a second before the trial ends").isZero();
    step(unpaid, "lite", SubscriptionStatus.TRIALING, false, true, 2);
    t.clock.set(start.plus(Duration.ofDays(14)));
    assertThat(jobs.endTrials(100)).isEqualTo(1);
    assertThat(jobs.endTrials(100)).as("once").isZero();
    step(unpaid, "free", SubscriptionStatus.CANCELED, false, false, 1);
    step(stripeTrial, "professional", SubscriptionStatus.TRIALING, true, true, 5);
    step(onFree, "free", SubscriptionStatus.TRIALING, false, false, 1);

    String paying = "cus_pay" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    t.db.executeAsAdmin("insert into crm.billing_customers (organization_id, stripe_customer_id) values ('"
        + unpaid.id() + "', '" + paying + "')");
    t.deliver(subscriptionEvent("sub_trial2", paying, "active", t.clock.instant()));
    step(unpaid, "professional", SubscriptionStatus.ACTIVE, true, true, 5);
    assertThatThrownBy(() -> jobs.endTrials(0)).isInstanceOf(io.crmkit.core.exception.ValidationException.class);
  }
}
