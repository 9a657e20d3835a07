package io.crmkit.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.Crm;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.ForbiddenException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.users.NewMember;
import io.crmkit.core.users.Role;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checkout and the portal against a local Stripe stub that checks the exact form-encoded requests
 * stripe-java sends: the organization's customer made once (its id in the metadata, an idempotency
 * key), sessions for the plan's price, and nothing sent for a request refused before.
 */
class BillingCheckoutTest {
  private static final URI SUCCESS = URI.create("https://app.example/billing/done");
  private static final URI CANCEL = URI.create("https://app.example/billing");
  private static TestBilling t;

  @BeforeAll
  static void setUp() {
    t = new TestBilling();
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  @BeforeEach
  void clear() {
    t.stripe.clear();
    t.stripe.refuseWith(0);
  }

  @Test
  void aCheckoutMakesTheCustomerOnceAndASessionForThePlansPrice() {
    TestBilling.Org acme = t.org();
    URI pay = acme.billing().checkout("professional", BillingInterval.MONTHLY, SUCCESS, CANCEL);
    assertThat(pay.toString()).startsWith("https://checkout.stripe.com/c/pay/cs_test_");
    assertThat(t.stripe.requests()).hasSize(3);
    StripeStub.Request search = t.stripe.requests().get(0);
    assertThat(search.method() + " " + search.path()).isEqualTo("GET /v1/customers/search");
    assertThat(search.form()).isEqualTo(Map.of("query", "metadata['crmkit_organization_id']:'" + acme.id() + "'",
        "limit", "10"));
    StripeStub.Request customer = t.stripe.requests().get(1);
    assertThat(customer.method() + " " + customer.path()).isEqualTo("POST /v1/customers");
    assertThat(customer.form()).isEqualTo(Map.of("name", acme.provisioned().organization().name(),
        "metadata[crmkit_organization_id]", acme.id().toString()));
    assertThat(customer.idempotencyKey()).as("one key per organization and name")
        .startsWith("crmkit-customer-" + acme.id() + "-");
    assertThat(customer.authorization()).isEqualTo("Bearer sk_test_crmkit");
    assertThat(customer.stripeVersion()).isEqualTo("2026-07-29.dahlia");
    String made = t.rows("select stripe_customer_id from crm.billing_customers where organization_id = ?",
        acme.id()).get(0);
    StripeStub.Request session = t.stripe.requests().get(2);
    assertThat(session.method() + " " + session.path()).isEqualTo("POST /v1/checkout/sessions");
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("mode", "subscription");
    expected.put("customer", made);
    expected.put("client_reference_id", acme.id().toString());
    expected.put("line_items[0][price]", "price_pro_month");
    expected.put("line_items[0][quantity]", "1");
    expected.put("success_url", SUCCESS.toString());
    expected.put("cancel_url", CANCEL.toString());
    assertThat(session.form()).isEqualTo(expected);

    t.stripe.clear();
    acme.billing().checkout("professional", BillingInterval.YEARLY, SUCCESS, CANCEL);
    assertThat(t.stripe.requests()).as("the customer is made once").extracting(StripeStub.Request::path)
        .containsExactly("/v1/checkout/sessions");
    assertThat(t.stripe.requests().get(0).form()).containsEntry("customer", made)
        .containsEntry("line_items[0][price]", "price_pro_year");
  }

  @Test
  void aCustomerStripeMadeButWeNeverStoredIsFoundNotMadeAgain() {
    // Stripe made it, but its answer was lost and the idempotency key has expired since.
    TestBilling.Org acme = t.org();
    t.stripe.knownCustomer(acme.id(), "cus_Earlier1");
    acme.billing().checkout("professional", BillingInterval.MONTHLY, SUCCESS, CANCEL);
    assertThat(t.stripe.requests()).extracting(r -> r.method() + " " + r.path())
        .containsExactly("GET /v1/customers/search", "POST /v1/checkout/sessions");
    assertThat(t.stripe.requests().get(1).form()).containsEntry("customer", "cus_Earlier1");
    assertThat(t.rows("select stripe_customer_id from crm.billing_customers where organization_id = ?", acme.id()))
        .containsExactly("cus_Earlier1");
  }

  @Test
  void thePortalIsTheCustomersOwn() {
    TestBilling.Org acme = t.org();
    URI portal = acme.billing().portal(URI.create("https://app.example/settings"));
    assertThat(portal.toString()).startsWith("https://billing.stripe.com/p/session/");
    StripeStub.Request session = t.stripe.requests().get(t.stripe.requests().size() - 1);
    assertThat(session.path()).isEqualTo("/v1/billing_portal/sessions");
    assertThat(session.form()).isEqualTo(Map.of("customer", t.rows("select stripe_customer_id from"
        + " crm.billing_customers where organization_id = ?", acme.id()).get(0), "return_url",
        "https://app.example/settings"));
  }

  @Test
  void aCrmWithoutBillingSettingsBuildsAndItsBillingServicesSayHowToConfigureThem() {
    // ServiceLoader finds BillingModule without settings: the Crm builds, each service refuses.
    try (Crm plain = Crm.builder().dataSource(t.db.runtimeDataSource()).build()) {
      TestBilling.Org acme = t.org();
      String reason = "BillingModule.builder().secretKey(";
      assertThatThrownBy(() -> plain.tenant(acme.id()).as(acme.provisioned().admin().id())
          .service(BillingService.class)).isInstanceOf(IllegalStateException.class).hasMessageContaining(reason);
      assertThatThrownBy(() -> plain.service(StripeWebhook.class)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(reason);
      assertThatThrownBy(() -> plain.service(BillingJobs.class)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(reason);
      assertThat(plain.tenant(acme.id()).as(acme.provisioned().admin().id()).customers().list(
          io.crmkit.core.customers.CustomerQuery.builder().build(), 1, java.util.Optional.empty()).items()).isEmpty();
    }
  }

  @Test
  void refusedRequestsSendNothingToStripeAndStripesRefusalIsABillingException() {
    TestBilling.Org acme = t.org();
    assertThatThrownBy(() -> acme.billing().checkout("no-such-plan", BillingInterval.MONTHLY, SUCCESS, CANCEL))
        .isInstanceOf(ValidationException.class).hasMessageContaining("no-such-plan");
    assertThatThrownBy(() -> acme.billing().checkout("lite", BillingInterval.MONTHLY, SUCCESS, CANCEL))
        .isInstanceOf(ValidationException.class).hasMessageContaining("no Stripe price");
    assertThatThrownBy(() -> acme.billing().checkout("professional", BillingInterval.MONTHLY,
        URI.create("/relative"), CANCEL)).isInstanceOf(ValidationException.class).hasMessageContaining("successUrl");
    String email = "agent-" + acme.id().toString().substring(0, 8) + "@example.com";
    BillingService agent = t.crm.tenant(acme.id()).as(t.crm.acceptInvitation(acme.admin().users()
        .invite(email, Role.AGENT).token(), NewMember.named("Agent")).id()).service(BillingService.class);
    assertThatThrownBy(() -> agent.checkout("professional", BillingInterval.MONTHLY, SUCCESS, CANCEL))
        .isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> agent.portal(SUCCESS)).isInstanceOf(ForbiddenException.class);
    assertThat(t.stripe.requests()).isEmpty();
    assertThat(agent.subscription()).isEmpty();

    t.stripe.refuseWith(400);
    assertThatThrownBy(() -> acme.billing().checkout("professional", BillingInterval.MONTHLY, SUCCESS, CANCEL))
        .isInstanceOf(BillingException.class).hasMessageContaining("No such price");
    assertThat(t.rows("select count(*) from crm.billing_customers where organization_id = ?", acme.id()))
        .containsExactly("0");
  }

  @Test
  void aPlanChangeSwapsTheItemsPriceWithProrationsAndCancelAtPeriodEndAndResumeAreOneFlag() {
    String customer = "cus_change" + acmeSuffix();
    TestBilling.Org acme = t.orgWithCustomer(customer);
    assertThatThrownBy(() -> acme.billing().changePlan("professional", BillingInterval.YEARLY))
        .isInstanceOf(ConflictException.class).hasMessageContaining("no running subscription");
    assertThat(t.deliver(TestBilling.event("evt_change" + acmeSuffix(), "customer.subscription.created",
        t.clock.instant(), "{'id':'sub_change1','object':'subscription','customer':'" + customer
            + "','status':'active','items':{'data':[{'id':'si_change1','price':{'id':'price_pro_month',"
            + "'unit_amount':9900,'currency':'usd'}}]}}")).status()).isEqualTo(200);
    t.stripe.clear();
    assertThatThrownBy(() -> acme.billing().checkout("professional", BillingInterval.YEARLY, SUCCESS, CANCEL))
        .as("a second subscription would be charged too").isInstanceOf(ConflictException.class);
    assertThat(t.stripe.requests()).isEmpty();

    acme.billing().changePlan("professional", BillingInterval.YEARLY);
    acme.billing().cancelAtPeriodEnd(true);
    acme.billing().cancelAtPeriodEnd(false);
    assertThat(t.stripe.requests()).extracting(r -> r.method() + " " + r.path()).containsOnly(
        "POST /v1/subscriptions/sub_change1");
    assertThat(t.stripe.requests()).extracting(StripeStub.Request::form).containsExactly(
        Map.of("items[0][id]", "si_change1", "items[0][price]", "price_pro_year",
            "proration_behavior", "create_prorations"),
        Map.of("cancel_at_period_end", "true"),
        Map.of("cancel_at_period_end", "false"));

    t.stripe.clear();
    assertThatThrownBy(() -> acme.billing().changePlan("lite", BillingInterval.MONTHLY))
        .isInstanceOf(ValidationException.class).hasMessageContaining("no Stripe price");
    String email = "owner-" + acmeSuffix() + "@example.com";
    BillingService manager = t.crm.tenant(acme.id()).as(t.crm.acceptInvitation(acme.admin().users()
        .invite(email, Role.MANAGER).token(), NewMember.named("Manager")).id()).service(BillingService.class);
    assertThatThrownBy(() -> manager.cancelAtPeriodEnd(true)).isInstanceOf(ForbiddenException.class);
    assertThat(t.stripe.requests()).isEmpty();
  }

  private static String acmeSuffix() {
    return java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  @Test
  void aModuleWithoutKeysOrWithWrongOnesIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> BillingModule.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("secretKey");
    assertThatThrownBy(() -> BillingModule.builder().secretKey("pk_test_public").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secretKey");
    assertThatThrownBy(() -> BillingModule.builder().secretKey("sk_test_x").webhookSecret("secret").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("webhookSecret");
    assertThat(BillingModule.builder().secretKey("sk_test_x").build().toString()).doesNotContain("sk_test_x");
  }
}
