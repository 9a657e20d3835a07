package io.crmkit.examples.quickstart;

import io.crmkit.billing.BillingInterval;
import io.crmkit.billing.BillingModule;
import io.crmkit.billing.BillingService;
import io.crmkit.billing.StripeWebhook;
import io.crmkit.billing.Subscription;
import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.LimitExceededException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.Plan;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.platform.SubscriptionStatus;
import io.crmkit.core.users.Role;
import java.io.PrintStream;
import java.net.URI;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The quickstart's billing: Initech, on the free plan's three seats, upgrades to Professional
 * through Stripe Checkout. Its admin starts the checkout; Stripe (a local {@link StripeStandIn})
 * takes the payment and posts its signed events to the webhook the host mounts; the organization's
 * plan follows its subscription, and with it the limits every module obeys: the seat the free plan
 * refused is allowed after.
 */
public final class QuickstartBilling {
  /** Demo keys; a host takes its own from Stripe's dashboard, through its vault. */
  private static final String SECRET_KEY = "sk_test_quickstart";
  private static final String WEBHOOK_SECRET = "whsec_quickstart";
  /** The professional plan's Stripe prices, as the host created them in Stripe. */
  private static final String PROFESSIONAL_MONTHLY = "price_professional_monthly";
  private static final String PROFESSIONAL_YEARLY = "price_professional_yearly";

  private QuickstartBilling() {}

  /**
   * The organization's plan at one moment, and what inviting one more member did.
   *
   * @param plan its plan
   * @param status its subscription's status, as crm-core keeps it
   * @param limits its effective limits
   * @param oneMoreSeat why the invitation was refused, or empty if it was sent
   */
  public record Step(Plan plan, SubscriptionStatus status, Map<Limit, OptionalLong> limits,
      Optional<String> oneMoreSeat) {
    /** Creates the step; the limits are copied. */
    public Step {
      Objects.requireNonNull(plan, "plan");
      Objects.requireNonNull(status, "status");
      limits = Map.copyOf(limits);
      Objects.requireNonNull(oneMoreSeat, "oneMoreSeat");
    }
  }

  /**
   * The upgrade, from start to end.
   *
   * @param organization the organization's name and slug
   * @param before before the checkout
   * @param checkout where the admin's browser was sent to pay
   * @param deliveries each event Stripe posted to the webhook, with the webhook's answer
   * @param after after Stripe's events
   * @param subscription the subscription as the webhook mirrored it
   */
  public record Result(String organization, Step before, URI checkout, List<String> deliveries, Step after,
      Optional<Subscription> subscription) {
    /** Creates the result; the list is copied. */
    public Result {
      Objects.requireNonNull(organization, "organization");
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(checkout, "checkout");
      deliveries = List.copyOf(deliveries);
      Objects.requireNonNull(after, "after");
      Objects.requireNonNull(subscription, "subscription");
    }
  }

  /** A local Stripe that sells the professional plan at $99.00 a month. */
  static StripeStandIn stripeStandIn() {
    return StripeStandIn.start(SECRET_KEY, WEBHOOK_SECRET, Map.of(PROFESSIONAL_MONTHLY, 9900L));
  }

  /** crm-billing for the Crm; a host passes its own keys and leaves out {@code apiBase} (Stripe's own). */
  static BillingModule module(StripeStandIn stripe) {
    return BillingModule.builder().secretKey(SECRET_KEY).webhookSecret(WEBHOOK_SECRET).apiBase(stripe.apiBase())
        .build();
  }

  /** Provisions Initech (slug suffix {@code run}) on the free plan and upgrades it through {@code stripe}. */
  static Result run(Crm crm, StripeStandIn stripe, String run) {
    // Once, when the host sets up: which Stripe prices sell the plan (checkout refuses a plan without).
    crm.platform().setStripePrices("professional", Optional.of(PROFESSIONAL_MONTHLY),
        Optional.of(PROFESSIONAL_YEARLY));
    ProvisionedOrganization initech = crm.platform().provision(OrganizationDraft.builder()
        .name("Initech").slug("initech-" + run).plan("free").defaultRegion("AE").timeZone(ZoneId.of("Asia/Dubai"))
        .admin("bill@initech.example", "Bill Lumbergh", "host-user-6").build());
    TenantScope admin = crm.tenant(initech.organization().id()).as(initech.admin().id());
    // Free has three seats (members and pending invitations): the admin and two invitations.
    admin.users().invite("peter@initech.example", Role.AGENT);
    admin.users().invite("milton@initech.example", Role.AGENT);
    Step before = inviteOneMore(admin, "samir@initech.example");

    // The admin chooses Professional: the host sends the browser to Stripe's Checkout page.
    BillingService billing = admin.service(BillingService.class);
    URI checkout = billing.checkout("professional", BillingInterval.MONTHLY,
        URI.create("https://app.example/billing/done"), URI.create("https://app.example/billing"));

    // The admin pays on that page (here the stand-in plays the browser too); Stripe then posts
    // signed events to the host's endpoint, which passes the raw body and the Stripe-Signature
    // header on and answers Stripe with the status returned.
    StripeWebhook webhook = crm.service(StripeWebhook.class);
    List<String> deliveries = new ArrayList<>();
    for (StripeStandIn.Delivery delivery : stripe.pay(checkout)) {
      StripeWebhook.Response answer = webhook.receive(delivery.body(), delivery.stripeSignature());
      deliveries.add(delivery.eventType() + " " + answer.status() + " " + answer.body());
    }
    Step after = inviteOneMore(admin, "samir@initech.example");
    return new Result(initech.organization().name() + " (" + initech.organization().slug() + ")", before,
        checkout, deliveries, after, billing.subscription());
  }

  /** The plan and limits now, and whether the plan has a seat for {@code email}. */
  private static Step inviteOneMore(TenantScope admin, String email) {
    Step now = admin.inTransaction(tx -> new Step(tx.entitlements().plan(), tx.organization().get().status(),
        tx.entitlements().limits(), Optional.empty()));
    try {
      admin.users().invite(email, Role.AGENT);
      return now;
    } catch (LimitExceededException noSeat) {
      return new Step(now.plan(), now.status(), now.limits(), Optional.of(noSeat.getMessage()));
    }
  }

  /** Prints the upgrade: the plan and a few limits before and after, and the seat refused, then allowed. */
  static void print(Result result, PrintStream out) {
    out.printf("%nBilling: %s upgrades through Stripe Checkout (a local stand-in for Stripe)%n", result.organization());
    print("before", result.before(), out);
    out.printf("  checkout: %s%n", result.checkout());
    for (String delivery : result.deliveries()) {
      out.printf("  Stripe -> webhook: %s%n", delivery);
    }
    print("after", result.after(), out);
    result.subscription().ifPresent(s -> out.printf(Locale.ROOT, "  subscription %s: %s %s, %s, %d.%02d %s%n",
        s.stripeSubscriptionId(), s.planSlug().orElse("?"), s.interval().map(BillingInterval::databaseName).orElse("?"),
        s.status().databaseName(), s.amountMinor().orElse(0L) / 100, s.amountMinor().orElse(0L) % 100,
        s.currency().orElse("")));
  }

  private static void print(String when, Step step, PrintStream out) {
    out.printf("  %s: plan %s (%s), %s; %s%n", when, step.plan().name(), step.plan().slug(),
        step.status().databaseName(), List.of(Limit.USERS, Limit.CUSTOMERS, Limit.MESSAGES_PER_DAY).stream()
            .map(limit -> limit.column() + "=" + (step.limits().get(limit).isPresent()
                ? step.limits().get(limit).getAsLong() : "unlimited"))
            .collect(Collectors.joining(", ")));
    out.printf("    one more seat: %s%n", step.oneMoreSeat().map(reason -> "refused (" + reason + ")")
        .orElse("invited"));
  }
}
