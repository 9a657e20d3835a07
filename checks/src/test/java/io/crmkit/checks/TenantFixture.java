package io.crmkit.checks;

import io.crmkit.billing.BillingModule;
import io.crmkit.billing.StripeWebhook;
import io.crmkit.campaigns.Campaign;
import io.crmkit.campaigns.CampaignContent;
import io.crmkit.campaigns.CampaignContent.TemplateComponent;
import io.crmkit.campaigns.CampaignContent.TemplateParameter;
import io.crmkit.campaigns.CampaignDraft;
import io.crmkit.campaigns.CampaignRunner;
import io.crmkit.campaigns.CampaignService;
import io.crmkit.campaigns.OptOutWords;
import io.crmkit.campaigns.RecipientSelection;
import io.crmkit.campaigns.SendingLimits;
import io.crmkit.core.TenantScope;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.users.NewMember;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import io.crmkit.testkit.CrmTestKit;
import io.crmkit.ticketing.CommentDraft;
import io.crmkit.ticketing.SlaTarget;
import io.crmkit.ticketing.Ticket;
import io.crmkit.ticketing.TicketDraft;
import io.crmkit.ticketing.TicketPriority;
import io.crmkit.ticketing.TicketService;
import io.crmkit.ticketing.TicketSettings;
import io.crmkit.whatsapp.ConversationQuery;
import io.crmkit.whatsapp.SessionKeys;
import io.crmkit.whatsapp.WebhookSignature;
import io.crmkit.whatsapp.WhatsAppConversation;
import io.crmkit.whatsapp.WhatsAppInbox;
import io.crmkit.whatsapp.WhatsAppModule;
import io.crmkit.whatsapp.WhatsAppProfileDraft;
import io.crmkit.whatsapp.WhatsAppProfiles;
import io.crmkit.whatsapp.WhatsAppWebhook;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant with a row in every tenant table of every module, made the way a host makes them:
 * through the services, the WhatsApp webhook with signed deliveries, and the fake gateway. One
 * method per module, each naming the tables it fills; a module or table added later gets its rows
 * here (the tenancy check names a tenant table without a row of A).
 */
final class TenantFixture {
  static final String META_APP_ID = "1234567890";
  static final String APP_SECRET = "fixture-app-secret";

  private final CrmTestKit kit;
  private final WhatsAppWebhook webhook;

  TenantFixture(CrmTestKit kit) {
    this.kit = kit;
    this.webhook = kit.crm().service(WhatsAppWebhook.class);
  }

  /** crm-whatsapp configured with a fake gateway and one Meta app, for {@code CrmTestKit.start}. */
  static WhatsAppModule whatsapp() {
    return WhatsAppModule.builder()
        .sessionKeys(SessionKeys.of("k", Map.of("k", new byte[32])))
        .gateway(new FakeWhatsAppGateway())
        .verifyToken("fixture-verify-token")
        .app(META_APP_ID, APP_SECRET)
        .build();
  }

  /** The webhook secret the fixture signs Stripe events with. */
  static final String STRIPE_WEBHOOK_SECRET = "whsec_fixture";

  /** crm-billing with a test key (no test here calls Stripe) and a webhook secret, for {@code CrmTestKit.start}. */
  static BillingModule billing() {
    return BillingModule.builder().secretKey("sk_test_fixture").webhookSecret(STRIPE_WEBHOOK_SECRET)
        .meter(io.crmkit.billing.UsageMetric.MESSAGES_SENT, "crmkit_messages").build();
  }

  /** The people and records of one tenant that later steps build on. */
  record Tenant(UUID id, TenantScope admin, TenantScope agent, User agentUser, Customer customer) {}

  /**
   * Provisions {@code slug} and fills every table of every module for it.
   *
   * @param phoneNumberId the tenant's WhatsApp number id, unique across the test's tenants
   */
  Tenant complete(String slug, String phoneNumberId) throws SQLException {
    Tenant tenant = core(slug);
    UUID conversation = whatsapp(tenant, phoneNumberId);
    ticketing(tenant, conversation);
    campaigns(tenant, phoneNumberId);
    billing(tenant);
    return tenant;
  }

  /**
   * billing_customers (as the first checkout stores it), then, through Stripe's signed webhook,
   * subscriptions, invoices, payment_methods and billing_events; then usage_runs, usage_marks,
   * usage_records and meter_events, by the usage job after a message is counted.
   */
  void billing(Tenant tenant) throws SQLException {
    String customer = "cus_fixture" + tenant.id().toString().substring(0, 8);
    asSuperuser("insert into crm.billing_customers (organization_id, stripe_customer_id) values ('" + tenant.id()
        + "', '" + customer + "')");
    long now = java.time.Instant.now().getEpochSecond();
    String suffix = tenant.id().toString().substring(0, 8);
    stripe("customer.subscription.created", now, "{\"id\":\"sub_fx" + suffix + "\",\"object\":\"subscription\","
        + "\"customer\":\"" + customer + "\",\"status\":\"active\",\"items\":{\"data\":[]}}");
    stripe("invoice.paid", now, "{\"id\":\"in_fx" + suffix + "\",\"object\":\"invoice\",\"customer\":\"" + customer
        + "\",\"number\":\"FX-0001\",\"status\":\"paid\",\"currency\":\"usd\",\"subtotal\":100,\"total\":100,"
        + "\"amount_due\":100,\"amount_paid\":100,\"created\":" + now + "}");
    stripe("payment_method.attached", now, "{\"id\":\"pm_fx" + suffix + "\",\"object\":\"payment_method\","
        + "\"customer\":\"" + customer + "\",\"type\":\"card\",\"card\":{\"brand\":\"visa\",\"last4\":\"4242\"}}");
    io.crmkit.core.spi.TenantWork.call(tenant.admin(), tx -> {
      tx.takeWithinLimit("messages_sent", java.time.LocalDate.now(tx.scope().organization().get().timeZone()), 1,
          io.crmkit.core.platform.Limit.MESSAGES_PER_DAY);
      return null;
    });
    if (kit.crm().service(io.crmkit.billing.BillingJobs.class).recordUsage(1000) == 0) {
      throw new IllegalStateException("the usage job recorded no organization");
    }
  }

  private void stripe(String type, long created, String object) {
    String payload = "{\"id\":\"evt_" + java.util.UUID.randomUUID().toString().replace("-", "") + "\",\"object\":\"event\","
        + "\"created\":" + created + ",\"type\":\"" + type + "\",\"data\":{\"object\":" + object + "}}";
    try {
      String header = com.stripe.net.Webhook.Signature.generateSignatureHeader(payload, STRIPE_WEBHOOK_SECRET, created);
      int status = kit.crm().service(StripeWebhook.class).receive(payload.getBytes(StandardCharsets.UTF_8), header)
          .status();
      if (status != 200) {
        throw new IllegalStateException("the Stripe webhook answered " + status + " to " + type);
      }
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * organizations, users, sales_stages (provisioning); invitations (one accepted, one pending);
   * customers (created by, assigned to a member), customer_activities, usage_counters;
   * integration_mappings, which no module writes yet, as the tenant would write it.
   */
  Tenant core(String slug) throws SQLException {
    ProvisionedOrganization org = kit.provisionOrganization(slug);
    UUID id = org.organization().id();
    TenantScope admin = kit.crm().tenant(id).as(org.admin().id());
    User omar = kit.crm().acceptInvitation(admin.users().invite("omar@" + slug + ".example", Role.AGENT).token(),
        NewMember.of("Omar", "host-omar-" + slug));
    admin.users().invite("layla@" + slug + ".example", Role.MEMBER);
    TenantScope agent = kit.crm().tenant(id).as(omar.id());
    Customer ahmed = agent.customers().create(CustomerDraft.builder().fullName("Ahmed " + slug)
        .whatsappPhone("+966501234567").email("ahmed@" + slug + ".example").build());
    agent.customers().assign(ahmed.id(), Optional.of(omar.id()));
    agent.customers().moveToStage(ahmed.id(), agent.pipeline().stages().get(1).id());
    agent.customers().logActivity(ahmed.id(), "call", Optional.of("Asked for a quote"), Map.of());
    asTenant(id, "insert into crm.integration_mappings (organization_id, source_module, source_record_id,"
        + " target_module, target_record_id, mapping_type)"
        + " values (?, 'core', ?, 'ticketing', gen_random_uuid(), 'customer_ticket')", id, ahmed.id());
    return new Tenant(id, admin, agent, omar, ahmed);
  }

  /**
   * Runs one statement as the runtime role in the tenant's transaction, the context set as CRMKit
   * sets it, and commits: for a table no service writes yet.
   */
  void asTenant(UUID tenant, String sql, Object... parameters) throws SQLException {
    try (Connection c = kit.runtimeDataSource().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("select set_config('app.current_organization_id', ?, true)")) {
        ps.setString(1, tenant.toString());
        ps.execute();
      }
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < parameters.length; i++) {
          ps.setObject(i + 1, parameters[i]);
        }
        ps.execute();
      }
      c.commit();
    }
  }

  /**
   * whatsapp_profiles; a signed inbound message (whatsapp_contacts, conversations, messages,
   * whatsapp_events, linked to the customer with that phone); the conversation assigned and
   * answered by the agent; a status for a message no send recorded (whatsapp_early_statuses); a
   * message the webhook cannot store while a defect (a trigger, installed by the superuser for one
   * delivery) refuses it, kept as core's dead_letters. Returns the conversation.
   */
  UUID whatsapp(Tenant tenant, String phoneNumberId) throws SQLException {
    tenant.admin().service(WhatsAppProfiles.class).create(WhatsAppProfileDraft.builder().name("Sales")
        .phoneNumber("+966112345678").phoneNumberId(phoneNumberId).metaAppId(META_APP_ID)
        .session("token-" + phoneNumberId).build());
    long now = java.time.Instant.now().getEpochSecond();
    deliver(phoneNumberId, "\"contacts\":[{\"profile\":{\"name\":\"Ahmed\"},\"wa_id\":\"966501234567\"}],"
        + "\"messages\":[{\"from\":\"966501234567\",\"id\":\"wamid.in-" + phoneNumberId + "\",\"timestamp\":\"" + now
        + "\",\"type\":\"text\",\"text\":{\"body\":\"Where is my order?\"}}]");
    WhatsAppInbox inbox = tenant.agent().service(WhatsAppInbox.class);
    WhatsAppConversation conversation = inbox.conversations(ConversationQuery.all(), 10, Optional.empty()).items().get(0);
    inbox.assign(conversation.id(), Optional.of(tenant.agentUser().id()));
    inbox.sendText(conversation.id(), "It ships today.");
    deliver(phoneNumberId, "\"statuses\":[{\"id\":\"wamid.sent-elsewhere-" + phoneNumberId
        + "\",\"status\":\"delivered\",\"timestamp\":\"" + now + "\",\"recipient_id\":\"966501234567\"}]");
    asSuperuser("create function crm.fixture_poison() returns trigger language plpgsql as $$ begin"
        + " raise exception 'refused by the fixture'; end $$",
        "create trigger fixture_poison before insert on crm.messages for each row execute function crm.fixture_poison()");
    try {
      deliver(phoneNumberId, "\"contacts\":[{\"profile\":{\"name\":\"Ahmed\"},\"wa_id\":\"966501234567\"}],"
          + "\"messages\":[{\"from\":\"966501234567\",\"id\":\"wamid.dead-" + phoneNumberId + "\",\"timestamp\":\""
          + now + "\",\"type\":\"text\",\"text\":{\"body\":\"Hello?\"}}]");
    } finally {
      asSuperuser("drop trigger fixture_poison on crm.messages", "drop function crm.fixture_poison()");
    }
    return conversation.id();
  }

  /**
   * ticketing_settings and ticket_sla_targets; a ticket opened from the conversation (tickets with
   * its conversation, customer, assignee and author; ticket_counters) and the agent's comment
   * (ticket_comments).
   */
  void ticketing(Tenant tenant, UUID conversation) {
    TicketService tickets = tenant.admin().service(TicketService.class);
    tickets.updateSettings(tickets.settings().withNumberFormat("T-{YYYY}-{NNNN}")
        .withSla(TicketPriority.HIGH, SlaTarget.of(Duration.ofHours(1), Duration.ofHours(8))));
    Ticket ticket = tenant.agent().service(TicketService.class).open(TicketDraft.builder("Order delivery date")
        .conversation(conversation).priority(TicketPriority.HIGH).assignee(tenant.agentUser().id()).build());
    tenant.agent().service(TicketService.class).comment(ticket.id(), CommentDraft.internalNote("Courier called"));
  }

  /**
   * campaigns (from the tenant's WhatsApp profile), campaign_recipients (its customer) and
   * campaign_results (the runner's send to it, through the fake gateway); campaign_profile_limits
   * and campaign_daily_users (the profile's limits, and the user the send reached);
   * campaign_settings (its words) and campaign_opt_outs (a user who wrote one of them).
   */
  void campaigns(Tenant tenant, String phoneNumberId) {
    UUID profile = tenant.admin().service(WhatsAppProfiles.class).list().get(0).id();
    CampaignService campaigns = tenant.admin().service(CampaignService.class);
    Campaign campaign = campaigns.create(CampaignDraft.builder("Spring offer", profile, CampaignContent.template(
        "spring_offer", "ar", List.of(TemplateComponent.body(List.of(TemplateParameter.of("{{first_name|عميلنا}}"))))))
        .build());
    campaigns.addRecipients(campaign.id(), RecipientSelection.customers(List.of(tenant.customer().id())));
    campaigns.setSendingLimits(profile, new SendingLimits(80, java.util.OptionalInt.of(1000)));
    campaigns.start(campaign.id());
    kit.crm().service(CampaignRunner.class).runOnce(10);
    campaigns.setOptOutWords(new OptOutWords(List.of("STOP", "UNSUBSCRIBE"), List.of("START")));
    deliver(phoneNumberId, "\"contacts\":[{\"profile\":{\"name\":\"Noor\"},\"wa_id\":\"966509876543\"}],"
        + "\"messages\":[{\"from\":\"966509876543\",\"id\":\"wamid.stop-" + phoneNumberId + "\",\"timestamp\":\""
        + java.time.Instant.now().getEpochSecond() + "\",\"type\":\"text\",\"text\":{\"body\":\"STOP\"}}]");
  }

  private void asSuperuser(String... statements) throws SQLException {
    try (Connection c = kit.adminDataSource().getConnection(); java.sql.Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  private void deliver(String phoneNumberId, String content) {
    String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{"
        + "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{"
        + "\"display_phone_number\":\"966112345678\",\"phone_number_id\":\"" + phoneNumberId + "\"}," + content + "}}]}]}";
    byte[] raw = body.getBytes(StandardCharsets.UTF_8);
    WhatsAppWebhook.Response response = webhook.receive(raw, WebhookSignature.sign(APP_SECRET, raw));
    if (response.status() != 200) {
      throw new IllegalStateException("the webhook answered " + response);
    }
  }
}
