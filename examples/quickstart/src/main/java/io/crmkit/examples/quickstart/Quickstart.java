package io.crmkit.examples.quickstart;

import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.exception.FeatureNotInPlanException;
import io.crmkit.core.pipeline.SalesStage;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.OrganizationRef;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.users.NewMember;
import io.crmkit.core.users.Role;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import io.crmkit.ticketing.CommentDraft;
import io.crmkit.ticketing.Ticket;
import io.crmkit.ticketing.TicketDraft;
import io.crmkit.ticketing.TicketPriority;
import io.crmkit.ticketing.TicketService;
import io.crmkit.ticketing.TicketStatus;
import io.crmkit.ticketing.TicketType;
import io.crmkit.whatsapp.ConversationQuery;
import io.crmkit.whatsapp.SessionKeys;
import io.crmkit.whatsapp.WebhookSignature;
import io.crmkit.whatsapp.WhatsAppConversation;
import io.crmkit.whatsapp.WhatsAppInbox;
import io.crmkit.whatsapp.WhatsAppModule;
import io.crmkit.whatsapp.WhatsAppProfiles;
import io.crmkit.whatsapp.WhatsAppProfileDraft;
import io.crmkit.whatsapp.WhatsAppWebhook;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * CRMKit in one file: migrate, provision two organizations, invite and accept users, add customers
 * and move one through the pipeline, connect a WhatsApp number per tenant, receive signed webhook
 * deliveries and reply, open tickets from WhatsApp conversations, and see that each tenant sees
 * only its own: its users, its customers, its forecast, a customer's timeline, its inbox and its
 * ticket board; then a third organization upgrades its plan through a stubbed Stripe Checkout.
 *
 * <p>Run it from the repository's root with only a JDK installed (an embedded PostgreSQL starts):
 * <pre>
 * ./mvnw -q -pl examples/quickstart -am install -DskipTests
 * ./mvnw -q -pl examples/quickstart exec:java
 * </pre>
 *
 * <p>Or against your own PostgreSQL (15 or newer), with a privileged login:
 * <pre>
 * CRM_JDBC_URL=jdbc:postgresql://localhost:5432/crm CRM_JDBC_USER=postgres CRM_JDBC_PASSWORD=… \
 *   ./mvnw -q -pl examples/quickstart exec:java
 * </pre>
 * The example then creates, if they are missing, the NOLOGIN owner role {@value QuickstartDatabase#OWNER_ROLE} and the
 * runtime login role {@value QuickstartDatabase#RUNTIME_ROLE} (NOSUPERUSER NOBYPASSRLS, password from
 * {@code CRM_RUNTIME_PASSWORD}, else {@value QuickstartDatabase#DEFAULT_RUNTIME_PASSWORD}), and connects as that
 * role for everything tenants do. The privileged login must be a superuser, or a member of
 * {@value QuickstartDatabase#OWNER_ROLE} with CREATE on the database; roles that exist already are left as they are.
 */
public final class Quickstart {
  private Quickstart() {}

  /**
   * Runs the example on the database {@code CRM_JDBC_URL} names, or on a fresh database of an
   * embedded PostgreSQL when it is not set, and prints what each tenant sees.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    String url = QuickstartDatabase.environment("CRM_JDBC_URL");
    if (url == null) {
      System.out.println("CRM_JDBC_URL is not set: using a fresh database on an embedded PostgreSQL.");
      try (TestDatabase database = TestPostgres.shared().createDatabase()) {
        print(run(database.runtimeDataSource(), database.adminDataSource()), System.out);
      } finally {
        // Under `mvn exec:java` the JVM's shutdown hooks do not stop the server reliably.
        TestPostgres.stop();
      }
      return;
    }
    QuickstartDatabase database = QuickstartDatabase.external(url);
    print(run(database.runtime(), database.privileged()), System.out);
  }

  /**
   * Migrates CRMKit's schema, provisions two organizations with a few users each, and reports
   * what each tenant sees through its own scope.
   *
   * <p>Safe to run again on the same database: each run provisions its own pair of organizations,
   * under slugs with a random suffix (see below).
   *
   * @param runtime connections as a role that row-level security applies to
   * @param migration privileged connections: a member of {@value QuickstartDatabase#OWNER_ROLE} that may create the schema
   * @return what acme and globex each saw, and what the platform found by acme's slug
   * @throws IllegalStateException if the runtime role bypasses row-level security, or the schema
   *     cannot be created or migrated
   */
  public static Summary run(DataSource runtime, DataSource migration) {
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(migration, "migration");
    // WhatsApp is configured once, on the Crm: the keys sessions are encrypted with, the channel
    // to WhatsApp (the recording fake here; in production CloudApiGateway.builder().build()), and
    // the webhook's verify token and Meta app. Ticketing and its WhatsApp bridge need no settings:
    // found on the class path, they install themselves.
    WhatsAppModule whatsapp = WhatsAppModule.builder()
        .sessionKeys(SessionKeys.of("demo-2026", Map.of("demo-2026", DEMO_SESSION_KEY)))
        .gateway(new FakeWhatsAppGateway())
        .verifyToken("demo-verify-token")
        .app(META_APP_ID, DEMO_APP_SECRET)
        .build();
    // Crm.close() leaves the DataSources passed in open: they stay the caller's. Billing talks to a
    // local stand-in for Stripe's API (see QuickstartBilling).
    try (StripeStandIn stripe = QuickstartBilling.stripeStandIn();
        Crm crm = Crm.builder().dataSource(runtime).migrationDataSource(migration).module(whatsapp)
            .module(QuickstartBilling.module(stripe)).build()) {
      crm.migrate();

      // Slugs are unique across the platform, so a second run against the same database would
      // be refused for "acme" (ConflictException). Looking the old tenant up instead would not
      // help: its invitations were accepted, so inviting the same people again would conflict
      // too. Each run therefore provisions fresh tenants under a suffixed slug; the earlier ones
      // stay until the database is dropped. Emails are unique only within an organization.
      String run = UUID.randomUUID().toString().substring(0, 6);

      ProvisionedOrganization acme = crm.platform().provision(OrganizationDraft.builder()
          .name("Acme Trading")
          .slug("acme-" + run)
          .plan("professional")
          .defaultRegion("SA")
          .timeZone(ZoneId.of("Asia/Riyadh"))
          .admin("sara@acme.example", "Sara Al-Harbi", "host-user-1")
          .build());
      ProvisionedOrganization globex = crm.platform().provision(OrganizationDraft.builder()
          .name("Globex")
          .slug("globex-" + run)
          .plan("free")
          .defaultRegion("AE")
          .timeZone(ZoneId.of("Asia/Dubai"))
          .defaultLanguage("en")
          .admin("hank@globex.example", "Hank Scorpio", "host-user-2")
          .build());

      // Each tenant is reached through a scope: one organization, one acting user.
      TenantScope acmeScope = crm.tenant(acme.organization().id()).as(acme.admin().id());
      TenantScope globexScope = crm.tenant(globex.organization().id()).as(globex.admin().id());

      // The raw token is returned once; a host sends it to the invitee, typically in a link.
      // Accepting needs no scope: the token says which organization it is for.
      String omar = acmeScope.users().invite("omar@acme.example", Role.AGENT).token();
      String layla = acmeScope.users().invite("layla@acme.example", Role.MANAGER).token();
      crm.acceptInvitation(omar, NewMember.of("Omar Haddad", "host-user-3"));
      crm.acceptInvitation(layla, NewMember.of("Layla Nasser", "host-user-4"));
      String marge = globexScope.users().invite("marge@globex.example", Role.AGENT).token();
      crm.acceptInvitation(marge, NewMember.of("Marge Simpson", "host-user-5"));

      // Customers: phones as people type them, stored in E.164 with the tenant's region; a move
      // through the pipeline and a note land on the customer's timeline.
      Customer ahmed = acmeScope.customers().create(CustomerDraft.builder()
          .fullName("أحمد الحربي").whatsappPhone("050 123 4567").company("Al-Harbi Trading")
          .estimatedValue(5_000_000, "SAR").tag("vip").build());
      Customer fatimah = acmeScope.customers().create(CustomerDraft.builder()
          .fullName("Fatimah Al-Qahtani").email("fatimah@example.sa").estimatedValue(1_200_000, "SAR").build());
      SalesStage proposal = acmeScope.pipeline().stages().get(2);
      acmeScope.customers().moveToStage(ahmed.id(), proposal.id());
      acmeScope.customers().logActivity(ahmed.id(), "call", Optional.of("Discussed the yearly plan"), Map.of());
      Customer wei = globexScope.customers().create(CustomerDraft.builder()
          .fullName("Wei Chen").whatsappPhone("050 765 4321").estimatedValue(80_000, "AED").build());

      // WhatsApp: each tenant connects its business number (the token is checked against the
      // number, then stored encrypted under the host's key); the host mounts the one webhook
      // (crm.service(WhatsAppWebhook.class)) for its Meta app; Meta's signed deliveries land in the
      // right tenant's inbox, linked to the customer with that phone; an agent replies, sent after
      // the reply is committed.
      WhatsAppWebhook webhook = crm.service(WhatsAppWebhook.class);
      String acmeNumberId = "1" + run.chars().mapToObj(Integer::toString).collect(Collectors.joining()).substring(0, 9);
      String globexNumberId = acmeNumberId + "2";
      UUID acmeProfile = acmeScope.service(WhatsAppProfiles.class).create(WhatsAppProfileDraft.builder()
          .name("Acme Sales").phoneNumber("+966112345678").phoneNumberId(acmeNumberId).metaAppId(META_APP_ID)
          .session("demo-access-token-acme").build()).id();
      globexScope.service(WhatsAppProfiles.class).create(WhatsAppProfileDraft.builder().name("Globex Support")
          .phoneNumber("+97142345678").phoneNumberId(globexNumberId).metaAppId(META_APP_ID)
          .session("demo-access-token-globex").build());
      receive(webhook, acmeNumberId, "966501234567", "أحمد", "السلام عليكم، متى يصل طلبي؟");
      receive(webhook, globexNumberId, "971507654321", "Wei", "Is the invoice ready?");
      WhatsAppInbox acmeInbox = acmeScope.service(WhatsAppInbox.class);
      WhatsAppConversation fromAhmed = acmeInbox.conversations(ConversationQuery.all(), 10, Optional.empty())
          .items().get(0);
      acmeInbox.sendText(fromAhmed.id(), "وعليكم السلام! طلبك يصل غدا إن شاء الله");
      // Layla chose a username: WhatsApp names her by a business-scoped id, and the reply goes to it.
      receiveFromUsername(webhook, globexNumberId, "AE.8812734019283746", "@layla.designs", "Layla",
          "Do you ship to Sharjah?");
      WhatsAppInbox globexInbox = globexScope.service(WhatsAppInbox.class);
      WhatsAppConversation fromLayla = globexInbox.conversations(ConversationQuery.all(), 10, Optional.empty())
          .items().get(0);
      globexInbox.sendText(fromLayla.id(), "Yes, within two days.");

      // Tickets: opened from WhatsApp conversations (linking the conversation and its customer),
      // numbered per organization (each tenant starts at 0001), with a public reply that goes to
      // the customer on WhatsApp after the commit. Globex's free plan has no ticketing: it upgrades.
      TicketService acmeTickets = acmeScope.service(TicketService.class);
      Ticket late = acmeTickets.open(TicketDraft.builder("متى يصل الطلب؟ Order delivery date")
          .conversation(fromAhmed.id()).priority(TicketPriority.HIGH).tags(List.of("delivery")).build());
      acmeTickets.comment(late.id(), CommentDraft.publicReply("طلبك خرج للتوصيل اليوم").sentToCustomer());
      acmeTickets.comment(late.id(), CommentDraft.internalNote("Courier confirmed by phone"));
      acmeTickets.changeStatus(late.id(), late.version(), TicketStatus.IN_PROGRESS);
      acmeTickets.open(TicketDraft.builder("Yearly plan offer for Al-Harbi Trading").customer(ahmed.id())
          .type(TicketType.SALES_OFFER).build());
      TicketService globexTickets = globexScope.service(TicketService.class);
      TicketDraft shipping = TicketDraft.builder("Shipping to Sharjah").conversation(fromLayla.id()).build();
      Ticket toSharjah;
      try {
        toSharjah = globexTickets.open(shipping);
      } catch (FeatureNotInPlanException noTicketingOnFree) {
        crm.platform().changePlan(globex.organization().id(), "lite");
        toSharjah = globexTickets.open(shipping);
      }
      globexTickets.changeStatus(toSharjah.id(), toSharjah.version(), TicketStatus.RESOLVED);
      WhatsAppConversation fromWei = globexInbox.conversations(ConversationQuery.all(), 10, Optional.empty()).items()
          .stream().filter(c -> c.contactPhone().isPresent()).findFirst().orElseThrow();
      globexTickets.open(TicketDraft.builder("Invoice for November").conversation(fromWei.id())
          .priority(TicketPriority.LOW).build());

      // A campaign: a template to Acme's VIP customers and two numbers, sent by the runner.
      QuickstartCampaign.Result campaign = QuickstartCampaign.run(crm, acmeScope, acmeProfile);
      // Contacts brought from another CRM: a HubSpot export, previewed, then imported.
      QuickstartImport.Result imported = QuickstartImport.run(acmeScope);
      QuickstartBilling.Result billing = QuickstartBilling.run(crm, stripe, run);

      return new Summary(
          TenantView.read(acmeScope, globex, List.of(ahmed.id(), fatimah.id()), acmeInbox, acmeTickets),
          TenantView.read(globexScope, acme, List.of(wei.id()), globexInbox, globexTickets),
          crm.platform().findBySlug(acme.organization().slug()), campaign, imported, billing);
    }
  }

  /**
   * Prints a summary the way {@link #main} does: each tenant's organization, plan, limits and
   * users, then the cross-tenant checks and the slug lookup.
   *
   * @param summary what {@link #run} returned
   * @param out where to print, e.g. {@code System.out}
   */
  public static void print(Summary summary, PrintStream out) {
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(out, "out");
    for (TenantView tenant : List.of(summary.acme(), summary.globex())) {
      tenant.print(out);
    }
    QuickstartCampaign.print(summary.campaign(), out);
    QuickstartImport.print(summary.imported(), out);
    QuickstartBilling.print(summary.billing(), out);
    out.printf("%nIsolation:%n");
    for (TenantView tenant : List.of(summary.acme(), summary.globex())) {
      out.printf("  %s sees %d users, %d of them the other tenant's; the other tenant's admin by id: %s%n",
          tenant.organization().slug(), tenant.users().size(), tenant.usersOfOtherTenant(),
          tenant.otherAdminById().isPresent() ? "FOUND" : "not found");
    }
    out.printf("%nRouting:%n  platform().findBySlug(\"%s\") -> %s%n", summary.acme().organization().slug(),
        summary.acmeBySlug().map(ref -> ref.name() + " (" + ref.id() + ")").orElse("nothing"));
  }

  /**
   * What {@link #run} found.
   *
   * @param acme what acme's admin saw
   * @param globex what globex's admin saw
   * @param acmeBySlug what the platform found for acme's slug
   * @param campaign acme's campaign as it ended
   * @param imported acme's import of a HubSpot export
   * @param billing a third tenant's upgrade through Stripe Checkout
   */
  public record Summary(TenantView acme, TenantView globex, Optional<OrganizationRef> acmeBySlug,
      QuickstartCampaign.Result campaign, QuickstartImport.Result imported, QuickstartBilling.Result billing) {
    /** Creates the summary. */
    public Summary {
      Objects.requireNonNull(acme, "acme");
      Objects.requireNonNull(globex, "globex");
      Objects.requireNonNull(acmeBySlug, "acmeBySlug");
      Objects.requireNonNull(campaign, "campaign");
      Objects.requireNonNull(imported, "imported");
      Objects.requireNonNull(billing, "billing");
    }
  }

  /** The demo Meta app: its id and secret, which sign every webhook delivery. */
  private static final String META_APP_ID = "1234567890";
  private static final String DEMO_APP_SECRET = "demo-app-secret";
  /** A demo AES-256 key; a host takes its keys from its KMS or vault. */
  private static final byte[] DEMO_SESSION_KEY = "quickstart-demo-key-32-bytes-!!!".getBytes(StandardCharsets.US_ASCII);

  /** A delivery built and signed the way Meta builds and signs them, posted to the webhook. */
  private static void receive(WhatsAppWebhook webhook, String phoneNumberId, String waId, String name, String text) {
    deliver(webhook, phoneNumberId, "{\"profile\":{\"name\":\"" + name + "\"},\"wa_id\":\"" + waId + "\"}",
        "\"from\":\"" + waId + "\"", text);
  }

  /**
   * The same from a user who chose a username: WhatsApp then leaves out the phone and names the
   * user by a business-scoped user id.
   */
  private static void receiveFromUsername(WhatsAppWebhook webhook, String phoneNumberId, String userId,
      String username, String name, String text) {
    deliver(webhook, phoneNumberId, "{\"profile\":{\"name\":\"" + name + "\",\"username\":\"" + username
        + "\"},\"user_id\":\"" + userId + "\"}", "\"from_user_id\":\"" + userId + "\"", text);
  }

  private static void deliver(WhatsAppWebhook webhook, String phoneNumberId, String contact, String from, String text) {
    String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{"
        + "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{"
        + "\"display_phone_number\":\"966112345678\",\"phone_number_id\":\"" + phoneNumberId + "\"},"
        + "\"contacts\":[" + contact + "],"
        + "\"messages\":[{" + from + ",\"id\":\"wamid." + UUID.randomUUID() + "\",\"timestamp\":\""
        + java.time.Instant.now().getEpochSecond() + "\",\"type\":\"text\",\"text\":{\"body\":\"" + text + "\"}}]}}]}]}";
    byte[] raw = body.getBytes(StandardCharsets.UTF_8);
    WhatsAppWebhook.Response response = webhook.receive(raw, WebhookSignature.sign(DEMO_APP_SECRET, raw));
    if (response.status() != 200) {
      throw new IllegalStateException("the webhook answered " + response);
    }
  }


}
