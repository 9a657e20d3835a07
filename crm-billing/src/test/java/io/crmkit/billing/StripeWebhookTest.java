package io.crmkit.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.platform.SubscriptionStatus;
import io.crmkit.testdb.Jdbc;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stripe's webhook with deliveries signed as Stripe signs them: signature and timestamp checked
 * before anything is read, the organization found from the customer alone, each event stored once,
 * an older event never overwriting a newer state, subscriptions, invoices and payment methods
 * mirrored, an unknown type recorded, an event of an older API release read, and one tenant never
 * seeing another's.
 */
class StripeWebhookTest {
  private static TestBilling t;

  @BeforeAll
  static void setUp() {
    t = new TestBilling();
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private static String customer() {
    return "cus_" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
  }

  private static String id(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
  }

  private static String subscription(String id, String customer, String status, String price, Instant periodEnd) {
    return "{'id':'" + id + "','object':'subscription','customer':'" + customer + "','status':'" + status
        + "','cancel_at_period_end':false,'items':{'object':'list','data':[{'id':'si_1','object':'subscription_item',"
        + "'current_period_start':" + periodEnd.minus(Duration.ofDays(30)).getEpochSecond() + ",'current_period_end':"
        + periodEnd.getEpochSecond() + ",'price':{'id':'" + price + "','object':'price','unit_amount':4900,"
        + "'currency':'usd'}}]}}";
  }

  private static List<String> events(TestBilling.Org org) {
    return t.rows("select type || ' ' || outcome from crm.billing_events where organization_id = ? order by created,"
        + " received_at", org.id());
  }

  @Test
  void aBadSignatureAStaleOneOrNoneIsRefusedAndStoresNothing() {
    String cus = customer();
    TestBilling.Org acme = t.orgWithCustomer(cus);
    String event = TestBilling.event(id("evt"), "customer.subscription.created", t.clock.instant(),
        subscription(id("sub"), cus, "active", "price_pro_month", t.clock.instant().plus(Duration.ofDays(30))));
    String payload = event.replace('\'', '"');
    StripeWebhook webhook = t.crm.service(StripeWebhook.class);
    assertThat(webhook.receive(payload.getBytes(StandardCharsets.UTF_8), "t=" + t.clock.instant().getEpochSecond()
        + ",v1=" + "0".repeat(64)).status()).isEqualTo(400);
    assertThat(webhook.receive(payload.getBytes(StandardCharsets.UTF_8), null).status()).isEqualTo(400);
    assertThat(t.deliver(event, t.clock.instant().minusSeconds(301)).status()).as("older than 300 s").isEqualTo(400);
    assertThat(webhook.receive(new byte[StripeWebhook.MAX_BODY_BYTES + 1], "t=1,v1=x").status()).isEqualTo(413);
    assertThat(t.deliver("{'object':'list','data':[]}").status()).as("signed, but no event").isEqualTo(400);
    assertThat(events(acme)).isEmpty();
    assertThat(acme.billing().subscription()).isEmpty();
    assertThat(t.deliver(event, t.clock.instant().minusSeconds(299)).status()).isEqualTo(200);
    assertThat(acme.billing().subscription()).isPresent();
  }

  @Test
  void aSubscriptionIsMirroredOnceAndAnOlderEventNeverOverwritesANewerState() {
    String cus = customer();
    TestBilling.Org acme = t.orgWithCustomer(cus);
    String sub = id("sub");
    Instant t0 = t.clock.instant();
    Instant periodEnd = t0.plus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String created = TestBilling.event(id("evt"), "customer.subscription.created", t0,
        subscription(sub, cus, "active", "price_pro_month", periodEnd));
    assertThat(t.deliver(created)).isEqualTo(new StripeWebhook.Response(200, "ok"));
    assertThat(t.deliver(created)).as("a replay").isEqualTo(new StripeWebhook.Response(200, "already received"));
    assertThat(acme.billing().subscription()).contains(new Subscription(sub, Optional.of("professional"),
        Optional.of(BillingInterval.MONTHLY), SubscriptionStatus.ACTIVE, Optional.of(4900L), Optional.of("USD"),
        Optional.of(periodEnd), false, t0.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));

    String newer = TestBilling.event(id("evt"), "customer.subscription.updated", t0.plusSeconds(20),
        subscription(sub, cus, "past_due", "price_pro_month", periodEnd));
    String older = TestBilling.event(id("evt"), "customer.subscription.updated", t0.plusSeconds(10),
        subscription(sub, cus, "active", "price_pro_year", periodEnd));
    assertThat(t.deliver(newer).status()).isEqualTo(200);
    assertThat(t.deliver(older).status()).isEqualTo(200);
    assertThat(acme.billing().subscription().orElseThrow().status()).as("Stripe does not promise order")
        .isEqualTo(SubscriptionStatus.PAST_DUE);
    assertThat(events(acme)).containsExactly("customer.subscription.created applied",
        "customer.subscription.updated stale", "customer.subscription.updated applied");
    String deleted = TestBilling.event(id("evt"), "customer.subscription.deleted", t0.plusSeconds(30),
        subscription(sub, cus, "canceled", "price_pro_month", periodEnd));
    t.deliver(deleted);
    assertThat(acme.billing().subscription().orElseThrow().status()).isEqualTo(SubscriptionStatus.CANCELED);
  }

  @Test
  void invoicesAndPaymentMethodsAreMirroredAndAnUnknownTypeIsRecorded() {
    String cus = customer();
    TestBilling.Org acme = t.orgWithCustomer(cus);
    Instant t0 = t.clock.instant();
    String invoice = id("in");
    String open = "{'id':'" + invoice + "','object':'invoice','customer':'" + cus + "','number':'ACME-0001',"
        + "'status':'open','currency':'sar','subtotal':18000,'total':20700,'amount_due':20700,'amount_paid':0,"
        + "'total_taxes':[{'amount':2700}],'created':" + t0.getEpochSecond() + ",'hosted_invoice_url':"
        + "'https://invoice.stripe.com/i/x','invoice_pdf':'https://pay.stripe.com/invoice/x/pdf',"
        + "'parent':{'subscription_details':{'subscription':'sub_X'}},'status_transitions':{'paid_at':null}}";
    t.deliver(TestBilling.event(id("evt"), "invoice.finalized", t0, open));
    t.deliver(TestBilling.event(id("evt"), "invoice.paid", t0.plusSeconds(5), open.replace("'status':'open'",
        "'status':'paid'").replace("'amount_paid':0", "'amount_paid':20700").replace("'paid_at':null",
        "'paid_at':" + t0.plusSeconds(5).getEpochSecond())));
    assertThat(acme.billing().invoices(10)).singleElement().satisfies(i -> {
      assertThat(i.number()).contains("ACME-0001");
      assertThat(i.status()).isEqualTo("paid");
      assertThat(i.currency()).isEqualTo("SAR");
      assertThat(i.totalMinor()).isEqualTo(20700);
      assertThat(i.amountPaidMinor()).isEqualTo(20700);
      assertThat(i.paidAt()).contains(t0.plusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
      assertThat(i.hostedInvoiceUrl()).contains("https://invoice.stripe.com/i/x");
    });
    assertThat(t.rows("select tax_minor || ' ' || stripe_subscription_id from crm.invoices where organization_id = ?",
        acme.id())).containsExactly("2700 sub_X");

    String visa = "{'id':'pm_visa1','object':'payment_method','customer':'" + cus + "','type':'card',"
        + "'card':{'brand':'visa','last4':'4242','exp_month':12,'exp_year':2030}}";
    String mada = "{'id':'pm_mada1','object':'payment_method','customer':'" + cus + "','type':'card',"
        + "'card':{'brand':'mada','last4':'1111','exp_month':1,'exp_year':2031}}";
    t.deliver(TestBilling.event(id("evt"), "payment_method.attached", t0.plusSeconds(1), visa));
    t.deliver(TestBilling.event(id("evt"), "payment_method.attached", t0.plusSeconds(2), mada));
    t.deliver(TestBilling.event(id("evt"), "customer.updated", t0.plusSeconds(3), "{'id':'" + cus
        + "','object':'customer','invoice_settings':{'default_payment_method':'pm_mada1'}}"));
    assertThat(acme.billing().paymentMethods()).containsExactly(
        new PaymentMethod("pm_mada1", "card", Optional.of("mada"), Optional.of("1111"), Optional.of(1),
            Optional.of(2031), true),
        new PaymentMethod("pm_visa1", "card", Optional.of("visa"), Optional.of("4242"), Optional.of(12),
            Optional.of(2030), false));
    t.deliver(TestBilling.event(id("evt"), "payment_method.detached", t0.plusSeconds(4), visa.replace("'customer':'"
        + cus + "'", "'customer':null") .replace("}}", "}}") + "X").replace("}X", "},'previous_attributes':{'customer':'"
        + cus + "'}"));
    assertThat(acme.billing().paymentMethods()).extracting(PaymentMethod::stripePaymentMethodId)
        .containsExactly("pm_mada1");

    assertThat(t.deliver(TestBilling.event(id("evt"), "customer.tax_id.created", t0.plusSeconds(6),
        "{'id':'txi_1','object':'tax_id','customer':'" + cus + "'}")).status()).isEqualTo(200);
    assertThat(events(acme)).contains("customer.tax_id.created ignored", "invoice.paid applied",
        "payment_method.detached applied");
  }

  @Test
  void anEventOfAnOlderApiReleaseIsReadWithItsOwnFields() {
    String cus = customer();
    TestBilling.Org acme = t.orgWithCustomer(cus);
    Instant t0 = t.clock.instant();
    Instant periodEnd = t0.plus(Duration.ofDays(365)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    // 2024-06-20: the period on the subscription itself, not on its item.
    String old = "{'id':'" + id("evt") + "','object':'event','api_version':'2024-06-20','created':" + t0.getEpochSecond()
        + ",'type':'customer.subscription.created','data':{'object':{'id':'sub_old1','object':'subscription',"
        + "'customer':'" + cus + "','status':'trialing','cancel_at_period_end':true,'current_period_end':"
        + periodEnd.getEpochSecond() + ",'items':{'data':[{'id':'si_1','price':{'id':'price_pro_year',"
        + "'unit_amount':49000,'currency':'usd'}}]}}}}";
    assertThat(t.deliver(old).status()).isEqualTo(200);
    Subscription read = acme.billing().subscription().orElseThrow();
    assertThat(read.status()).isEqualTo(SubscriptionStatus.TRIALING);
    assertThat(read.interval()).contains(BillingInterval.YEARLY);
    assertThat(read.currentPeriodEnd()).contains(periodEnd);
    assertThat(read.cancelAtPeriodEnd()).isTrue();
  }

  @Test
  void theOrganizationComesFromTheCustomerAloneAndNoTenantSeesAnothersBilling() throws Exception {
    String cus = customer();
    TestBilling.Org acme = t.orgWithCustomer(cus);
    TestBilling.Org globex = t.orgWithCustomer(customer());
    Instant t0 = t.clock.instant();
    // Metadata naming another organization changes nothing: the customer routes.
    String withMetadata = subscription(id("sub"), cus, "active", "price_pro_month", t0.plus(Duration.ofDays(30)))
        .replace("'object':'subscription',", "'object':'subscription','metadata':{'crmkit_organization_id':'"
            + globex.id() + "'},");
    t.deliver(TestBilling.event(id("evt"), "customer.subscription.created", t0, withMetadata));
    assertThat(acme.billing().subscription()).isPresent();
    assertThat(globex.billing().subscription()).isEmpty();
    assertThat(globex.billing().invoices(10)).isEmpty();
    assertThat(events(globex)).isEmpty();

    String stranger = customer();
    assertThat(t.deliver(TestBilling.event(id("evt"), "customer.subscription.created", t0, subscription(id("sub"),
        stranger, "active", "price_pro_month", t0))).body()).isEqualTo("not ours");
    assertThat(t.rows("select count(*) from crm.billing_events where object_id like 'sub_%' and organization_id"
        + " not in (?, ?)", acme.id(), globex.id())).containsExactly("0");

    try (Connection c = t.db.runtimeDataSource().getConnection()) {
      c.setAutoCommit(false);
      assertThat(Jdbc.rows(c, "select coalesce(crm.billing_organization_of_customer(?)::text, 'none')", cus))
          .as("outside a tenant: the customer's organization").containsExactly(acme.id().toString());
      assertThat(Jdbc.rows(c, "select coalesce(crm.billing_organization_of_customer(?)::text, 'none')", stranger))
          .containsExactly("none");
      Jdbc.rows(c, "select set_config('app.current_organization_id', ?, true)", globex.id().toString());
      assertThat(Jdbc.rows(c, "select count(*) from crm.subscriptions")).as("globex's rows only")
          .containsExactly("0");
      assertThatThrownBy(() -> Jdbc.rows(c, "select crm.billing_organization_of_customer(?)", cus))
          .isInstanceOf(SQLException.class).hasMessageContaining("outside any tenant");
      c.rollback();
      Jdbc.rows(c, "select set_config('app.current_organization_id', ?, true)", globex.id().toString());
      assertThatThrownBy(() -> Jdbc.rows(c, "select * from crm.billing_grace_ended(now(), 'free', 10)"))
          .isInstanceOf(SQLException.class).hasMessageContaining("outside any tenant");
      c.rollback();
      Jdbc.rows(c, "select set_config('app.current_organization_id', ?, true)", globex.id().toString());
      assertThatThrownBy(() -> Jdbc.rows(c, "select * from crm.billing_trials_ended(now(), 'free', 10)"))
          .isInstanceOf(SQLException.class).hasMessageContaining("outside any tenant");
      c.rollback();
    }
    t.db.executeAsAdmin("insert into crm.billing_customers (organization_id, stripe_customer_id) values ('"
        + t.org().id() + "', '" + cus + "')");
    assertThat(t.deliver(TestBilling.event(id("evt"), "customer.subscription.updated", t0.plusSeconds(1),
        subscription(id("sub"), cus, "canceled", "price_pro_month", t0))).body())
        .as("a customer two organizations claim routes to neither").isEqualTo("not ours");
  }

  @Test
  void anEventThatFailsForGoodIsKeptOnceAsADeadLetterAndAcknowledged() {
    String cus = customer();
    TestBilling.Org acme = t.orgWithCustomer(cus);
    // An invoice without its currency: the mirror refuses it, at every retry alike.
    String broken = TestBilling.event(id("evt"), "invoice.finalized", t.clock.instant(), "{'id':'in_broken1',"
        + "'object':'invoice','customer':'" + cus + "','status':'open','subtotal':1,'total':1,'amount_due':1,"
        + "'amount_paid':0}");
    assertThat(t.deliver(broken)).isEqualTo(new StripeWebhook.Response(200, "kept as a dead letter"));
    assertThat(t.deliver(broken).status()).as("Stripe's retry").isEqualTo(200);
    io.crmkit.core.DeadLetters letters = acme.admin().service(io.crmkit.core.DeadLetters.class);
    assertThat(letters.list(10, Optional.empty()).items()).singleElement()
        .satisfies(letter -> assertThat(letter.source()).isEqualTo("stripe.webhook"));
    assertThat(events(acme)).as("the failed event's transaction stored nothing").isEmpty();
    assertThat(acme.billing().invoices(10)).isEmpty();
  }

  @Test
  void eventsOfOneSecondEndOnTheLaterStateAndADefaultMethodMayComeBeforeItsMethod() {
    String cus = customer();
    TestBilling.Org acme = t.orgWithCustomer(cus);
    Instant t0 = t.clock.instant();
    String sub = id("sub");
    // Checkout's created (incomplete) and updated (active) in one second, delivered the other way round.
    t.deliver(TestBilling.event(id("evt"), "customer.subscription.updated", t0,
        subscription(sub, cus, "active", "price_pro_month", t0.plus(Duration.ofDays(30)))));
    t.deliver(TestBilling.event(id("evt"), "customer.subscription.created", t0,
        subscription(sub, cus, "incomplete", "price_pro_month", t0.plus(Duration.ofDays(30)))));
    assertThat(acme.billing().subscription().orElseThrow().status()).isEqualTo(SubscriptionStatus.ACTIVE);
    assertThat(acme.admin().organization().get().planSlug()).isEqualTo("professional");

    t.deliver(TestBilling.event(id("evt"), "customer.updated", t0.plusSeconds(1), "{'id':'" + cus
        + "','object':'customer','invoice_settings':{'default_payment_method':'pm_early1'}}"));
    t.deliver(TestBilling.event(id("evt"), "payment_method.attached", t0.plusSeconds(2), "{'id':'pm_early1',"
        + "'object':'payment_method','customer':'" + cus + "','type':'card','card':{'brand':'visa','last4':'4242',"
        + "'exp_month':1,'exp_year':2030}}"));
    assertThat(acme.billing().paymentMethods()).extracting(PaymentMethod::isDefault).containsExactly(true);
    assertThat(t.deliver(TestBilling.event(id("evt"), "customer.updated", t0.plusSeconds(3), "{'id':'" + cus
        + "','object':'customer','invoice_settings':{'default_payment_method':null}}")).body()).isEqualTo("ok");
    assertThat(acme.billing().paymentMethods()).extracting(PaymentMethod::isDefault).as("no default any more")
        .containsExactly(false);
  }

  @Test
  void theRunningSubscriptionDecidesThoughAnotherEndedLater() {
    String cus = customer();
    TestBilling.Org acme = t.orgWithCustomer(cus);
    Instant t0 = t.clock.instant();
    t.deliver(TestBilling.event(id("evt"), "customer.subscription.created", t0,
        subscription("sub_keep1", cus, "active", "price_pro_month", t0.plus(Duration.ofDays(30)))));
    t.deliver(TestBilling.event(id("evt"), "customer.subscription.deleted", t0.plusSeconds(5),
        subscription("sub_extra1", cus, "canceled", "price_pro_month", t0.plus(Duration.ofDays(30)))));
    assertThat(acme.billing().subscription().orElseThrow().stripeSubscriptionId()).isEqualTo("sub_keep1");
    assertThat(acme.admin().organization().get().planSlug()).as("still paid for").isEqualTo("professional");
  }
}
