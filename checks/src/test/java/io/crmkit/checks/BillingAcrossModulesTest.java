package io.crmkit.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.net.Webhook;
import io.crmkit.billing.BillingJobs;
import io.crmkit.billing.BillingModule;
import io.crmkit.billing.StripeWebhook;
import io.crmkit.campaigns.Campaign;
import io.crmkit.campaigns.CampaignContent;
import io.crmkit.campaigns.CampaignDraft;
import io.crmkit.campaigns.CampaignRunner;
import io.crmkit.campaigns.CampaignService;
import io.crmkit.campaigns.CampaignStatus;
import io.crmkit.campaigns.RecipientSelection;
import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.FeatureNotInPlanException;
import io.crmkit.core.exception.LimitExceededException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.platform.Organization;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.SubscriptionStatus;
import io.crmkit.core.users.NewMember;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import io.crmkit.testdb.MutableClock;
import io.crmkit.testkit.CrmTestKit;
import io.crmkit.ticketing.TicketDraft;
import io.crmkit.ticketing.TicketQuery;
import io.crmkit.ticketing.TicketService;
import io.crmkit.whatsapp.WhatsAppProfile;
import io.crmkit.whatsapp.WhatsAppProfileDraft;
import io.crmkit.whatsapp.WhatsAppProfiles;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's walk across the real modules: one organization, on the free plan until its first
 * subscription, goes from trial to active to past due (inside, then after, the grace period) to
 * canceled and back to active, through Stripe's signed events and the grace job. At each step
 * each module is asked for one more of what it counts, through its public service, and answers
 * as the plan billing put the organization on says; what was made above the free plan's limits
 * stays after the downgrade.
 *
 * <p>The actions, chosen so professional allows them and free does not once the walk has made a
 * few: core invites a member (max_users, free 3), WhatsApp connects a profile
 * (max_whatsapp_profiles, free 1), ticketing opens a ticket (free has no ticketing), campaigns
 * start one (free has no bulk_sender). Every step runs in March 2026 in the organization's zone,
 * so the monthly counters never start afresh.
 */
class BillingAcrossModulesTest {
  private static final String STRIPE_CUSTOMER = "cus_walk";
  private static final Duration GRACE = Duration.ofDays(7);

  /** What each module answers on professional: yes to one more. */
  private static final Map<String, String> PROFESSIONAL = Map.of("core", "allowed", "whatsapp", "allowed",
      "ticketing", "allowed", "campaigns", "allowed");

  /** What each module answers on free, the organization being above free's limits. */
  private static final Map<String, String> FREE = Map.of(
      "core", "over max_users 3 of free",
      "whatsapp", "over max_whatsapp_profiles 1 of free",
      "ticketing", "tickets.open needs ticketing, not in free",
      "campaigns", "campaigns.start needs bulk_sender, not in free");

  /** What the organization has: active members, active profiles, tickets, campaigns that left the draft. */
  private record Holdings(long members, long profiles, long tickets, long startedCampaigns) {}

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
  private CrmTestKit kit;
  private TenantScope admin;
  private int made;

  @BeforeEach
  void setUp() throws SQLException {
    // The webhook calls no Stripe API; a closed local port makes any call that slips in fail at once.
    BillingModule billing = BillingModule.builder().secretKey("sk_test_walk")
        .webhookSecret(TenantFixture.STRIPE_WEBHOOK_SECRET).apiBase(URI.create("http://127.0.0.1:9")).build();
    kit = CrmTestKit.start(b -> b.clock(clock).module(TenantFixture.whatsapp()).module(billing));
    kit.crm().platform().setStripePrices("professional", Optional.of("price_pro_month"), Optional.empty());
    var org = kit.crm().platform().provision(OrganizationDraft.builder().name("Walk").slug("walk").plan("free")
        .defaultRegion("SA").admin("admin@walk.example").build());
    admin = kit.crm().tenant(org.organization().id()).as(org.admin().id());
    asSuperuser("insert into crm.billing_customers (organization_id, stripe_customer_id) values (?, ?)",
        org.organization().id(), STRIPE_CUSTOMER);
  }

  @AfterEach
  void tearDown() {
    kit.close();
  }

  @Test
  void everyModuleFollowsThePlanFromTrialThroughGraceAndCancellationBackToActive() {
    subscription("sub_walk1", "trialing");
    expectPlan("professional", SubscriptionStatus.TRIALING);
    assertThat(answers()).as("trialing").isEqualTo(PROFESSIONAL);
    assertThat(holdings()).isEqualTo(new Holdings(2, 1, 1, 1));

    subscription("sub_walk1", "active");
    expectPlan("professional", SubscriptionStatus.ACTIVE);
    assertThat(answers()).as("active").isEqualTo(PROFESSIONAL);
    assertThat(holdings()).isEqualTo(new Holdings(3, 2, 2, 2));

    Instant pastDue = subscription("sub_walk1", "past_due");
    clock.set(pastDue.plus(GRACE).minusSeconds(1));
    assertThat(kit.crm().service(BillingJobs.class).endGracePeriods(100)).as("a second before grace ends").isZero();
    expectPlan("professional", SubscriptionStatus.PAST_DUE);
    assertThat(answers()).as("past due, inside the grace period").isEqualTo(PROFESSIONAL);
    assertThat(holdings()).isEqualTo(new Holdings(4, 3, 3, 3));

    clock.set(pastDue.plus(GRACE));
    assertThat(kit.crm().service(BillingJobs.class).endGracePeriods(100)).as("as grace ends").isEqualTo(1);
    expectPlan("free", SubscriptionStatus.PAST_DUE);
    assertThat(answers()).as("past due, after the grace period").isEqualTo(FREE);
    assertThat(holdings()).as("nothing deleted, nothing more made").isEqualTo(new Holdings(4, 3, 3, 3));
    kit.crm().service(CampaignRunner.class).runOnce(10);
    assertThat(admin.service(CampaignService.class).list(200, Optional.empty()).items())
        .filteredOn(c -> c.status() != CampaignStatus.DRAFT).as("running campaigns pause, sending nothing")
        .hasSize(3).allSatisfy(c -> {
          assertThat(c.status()).isEqualTo(CampaignStatus.PAUSED);
          assertThat(c.statusReason()).hasValueSatisfying(why -> assertThat(why).contains("bulk_sender"));
          assertThat(c.sentCount() + c.failedCount() + c.unknownCount()).isZero();
        });
    assertThat(answer(() -> admin.service(CampaignService.class).resume(pausedCampaign())))
        .isEqualTo("campaigns.resume needs bulk_sender, not in free");

    subscription("sub_walk1", "canceled");
    expectPlan("free", SubscriptionStatus.CANCELED);
    assertThat(answers()).as("canceled").isEqualTo(FREE);
    assertThat(holdings()).as("nothing deleted, nothing more made").isEqualTo(new Holdings(4, 3, 3, 3));

    subscription("sub_walk2", "active");
    expectPlan("professional", SubscriptionStatus.ACTIVE);
    assertThat(answers()).as("active again, a new subscription").isEqualTo(PROFESSIONAL);
    assertThat(holdings()).isEqualTo(new Holdings(5, 4, 4, 4));
    assertThat(admin.service(CampaignService.class).resume(pausedCampaign()).status())
        .as("resumed on a plan with bulk_sender").isEqualTo(CampaignStatus.RUNNING);
  }

  /** Each module's answer to one more of what it counts: "allowed", or the refusal. */
  private Map<String, String> answers() {
    return Map.of("core", answer(this::inviteMember), "whatsapp", answer(this::connectProfile),
        "ticketing", answer(this::openTicket), "campaigns", answer(this::startCampaign));
  }

  private static String answer(Runnable action) {
    try {
      action.run();
      return "allowed";
    } catch (LimitExceededException e) {
      return "over " + e.limit().column() + " " + e.value() + " of " + e.planSlug();
    } catch (FeatureNotInPlanException e) {
      return e.operation() + " needs " + e.feature() + ", not in " + e.planSlug();
    }
  }

  /** crm-core: a seat, taken by an invitation and kept by its acceptance (so it never expires). */
  private void inviteMember() {
    int n = ++made;
    String token = admin.users().invite("member" + n + "@walk.example", Role.AGENT).token();
    kit.crm().acceptInvitation(token, NewMember.of("Member " + n, "host-member-" + n));
  }

  /** crm-whatsapp: a profile connected with a session the fake gateway accepts. */
  private void connectProfile() {
    int n = ++made;
    admin.service(WhatsAppProfiles.class).create(WhatsAppProfileDraft.builder().name("Line " + n)
        .phoneNumber(String.format("+9661123456%02d", n)).phoneNumberId(String.format("1000000000000%02d", n))
        .metaAppId(TenantFixture.META_APP_ID).session("token-" + n).build());
  }

  /** crm-ticketing: a ticket opened. */
  private void openTicket() {
    admin.service(TicketService.class).open(TicketDraft.builder("Order " + ++made).build());
  }

  /** crm-campaigns: a draft (which any plan may make) started now, from the first profile, to one phone. */
  private void startCampaign() {
    CampaignService campaigns = admin.service(CampaignService.class);
    UUID profile = admin.service(WhatsAppProfiles.class).list().get(0).id();
    Campaign draft = campaigns.create(CampaignDraft.builder("Offer " + ++made, profile,
        CampaignContent.template("spring_offer", "ar", List.of())).build());
    campaigns.addRecipients(draft.id(), RecipientSelection.phones(List.of("0501460001")));
    campaigns.start(draft.id());
  }

  private UUID pausedCampaign() {
    return admin.service(CampaignService.class).list(200, Optional.empty()).items().stream()
        .filter(c -> c.status() == CampaignStatus.PAUSED).findFirst().orElseThrow().id();
  }

  private Holdings holdings() {
    return new Holdings(
        admin.users().list().stream().filter(User::active).count(),
        admin.service(WhatsAppProfiles.class).list().stream().filter(WhatsAppProfile::active).count(),
        admin.service(TicketService.class).list(TicketQuery.all(), 200, Optional.empty()).items().size(),
        admin.service(CampaignService.class).list(200, Optional.empty()).items().stream()
            .filter(c -> c.status() != CampaignStatus.DRAFT).count());
  }

  private void expectPlan(String plan, SubscriptionStatus status) {
    Organization now = admin.organization().get();
    assertThat(List.of(now.planSlug(), now.status())).as("plan and status").containsExactly(plan, status);
  }

  /**
   * The subscription's event as Stripe sends it, a minute after the last one (events order by
   * their time), signed by the Crm's clock. Returns when it happened.
   */
  private Instant subscription(String id, String status) {
    clock.advance(Duration.ofMinutes(1));
    Instant now = clock.instant();
    String object = "{'id':'" + id + "','object':'subscription','customer':'" + STRIPE_CUSTOMER + "','status':'"
        + status + "','cancel_at_period_end':false,'items':{'data':[{'id':'si_" + id + "','current_period_end':"
        + now.plus(Duration.ofDays(30)).getEpochSecond()
        + ",'price':{'id':'price_pro_month','unit_amount':9900,'currency':'usd'}}]}}";
    String payload = ("{'id':'evt_" + UUID.randomUUID().toString().replace("-", "") + "','object':'event',"
        + "'created':" + now.getEpochSecond() + ",'type':'customer.subscription.updated','livemode':false,"
        + "'data':{'object':" + object + "}}").replace('\'', '"');
    try {
      String header = Webhook.Signature.generateSignatureHeader(payload, TenantFixture.STRIPE_WEBHOOK_SECRET,
          now.getEpochSecond());
      StripeWebhook.Response response = kit.crm().service(StripeWebhook.class)
          .receive(payload.getBytes(StandardCharsets.UTF_8), header);
      assertThat(response).as(status + " event").isEqualTo(new StripeWebhook.Response(200, "ok"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    return now;
  }

  private void asSuperuser(String sql, Object... parameters) throws SQLException {
    try (Connection c = kit.adminDataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setObject(i + 1, parameters[i]);
      }
      ps.execute();
    }
  }
}
