package io.crmkit.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.campaigns.Campaign;
import io.crmkit.campaigns.CampaignContent;
import io.crmkit.campaigns.CampaignContent.TemplateComponent;
import io.crmkit.campaigns.CampaignContent.TemplateParameter;
import io.crmkit.campaigns.CampaignDraft;
import io.crmkit.campaigns.CampaignRunner;
import io.crmkit.campaigns.CampaignService;
import io.crmkit.campaigns.CampaignStatus;
import io.crmkit.campaigns.RecipientSelection;
import io.crmkit.core.Crm;
import io.crmkit.core.Page;
import io.crmkit.core.TenantScope;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.testdb.ReadmeBlocks;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import io.crmkit.ticketing.CommentDraft;
import io.crmkit.ticketing.Ticket;
import io.crmkit.ticketing.TicketDraft;
import io.crmkit.ticketing.TicketPriority;
import io.crmkit.ticketing.TicketQuery;
import io.crmkit.ticketing.TicketService;
import io.crmkit.ticketing.TicketStatus;
import io.crmkit.ticketing.TicketUpdate;
import io.crmkit.whatsapp.ConversationQuery;
import io.crmkit.whatsapp.SessionKeys;
import io.crmkit.whatsapp.WebhookSignature;
import io.crmkit.whatsapp.WhatsAppEvent;
import io.crmkit.whatsapp.WhatsAppGateway;
import io.crmkit.whatsapp.WhatsAppInbox;
import io.crmkit.whatsapp.WhatsAppJobs;
import io.crmkit.whatsapp.WhatsAppModule;
import io.crmkit.whatsapp.WhatsAppOutbox;
import io.crmkit.whatsapp.WhatsAppProfileDraft;
import io.crmkit.whatsapp.WhatsAppProfiles;
import io.crmkit.whatsapp.WhatsAppWebhook;
import io.crmkit.whatsapp.media.FileSystemMediaStore;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The README's "Wiring WhatsApp", "Tickets" and "Campaigns" examples, compiled and run here with every module
 * on the class path; the test fails if the README's copies drift from these.
 */
class ReadmeExamplesTest {
  private static final Path SOURCE = Path.of("src/test/java/io/crmkit/examples/quickstart/ReadmeExamplesTest.java");
  private static final Path README = Path.of("../../README.md");
  private static final String APP_ID = "1234567890";
  private static final String APP_SECRET = "app-secret";

  /** What the WhatsApp example leaves behind for the checks. */
  private record Wired(Crm crm, WhatsAppWebhook.Response handshake, WhatsAppWebhook.Response stored,
      WhatsAppInbox inbox, int resumed, int fetched) {}

  static Wired wireWhatsApp(DataSource runtimeDataSource, DataSource adminDataSource, byte[] keyFromYourVault,
      WhatsAppGateway gateway, Path mediaDirectory, String metaAppId, String metaAppSecret, Consumer<WhatsAppEvent> queue,
      UUID orgId, UUID adminId, String phoneNumberId, String accessToken, String mode, String token,
      String challenge, byte[] rawBody, String signatureHeader) throws IOException {
    // README:whatsapp:start
    Crm crm = Crm.builder()
        .dataSource(runtimeDataSource)
        .migrationDataSource(adminDataSource)
        .module(WhatsAppModule.builder()
            .sessionKeys(SessionKeys.of("k-2026", Map.of("k-2026", keyFromYourVault)))  // AES-256 keys, by id
            .gateway(gateway)                          // CloudApiGateway.builder().build() in production
            .mediaStore(new FileSystemMediaStore(mediaDirectory))  // or your object store
            .verifyToken("your-verify-token")          // Meta's subscription handshake
            .app(metaAppId, metaAppSecret)             // each Meta app whose secret signs deliveries
            .build())
        .build();                                      // tickets and the bridge need no settings
    crm.migrate();

    // A tenant's admin connects its number: the token is checked at WhatsApp, then stored encrypted.
    TenantScope acme = crm.tenant(orgId).as(adminId);
    acme.service(WhatsAppProfiles.class).create(WhatsAppProfileDraft.builder()
        .name("Sales").phoneNumber("+966112345678").phoneNumberId(phoneNumberId)
        .metaAppId(metaAppId).session(accessToken).build());

    // Your HTTP layer hands the webhook URL's two requests to the one webhook:
    WhatsAppWebhook webhook = crm.service(WhatsAppWebhook.class);
    WhatsAppWebhook.Response handshake = webhook.verify(mode, token, challenge);  // GET
    WhatsAppWebhook.Response stored = webhook.receive(rawBody, signatureHeader);  // POST: 200 once stored
    WhatsAppInbox inbox = acme.service(WhatsAppInbox.class);                      // the agents' inbox

    // Jobs your scheduler runs, from any number of processes:
    WhatsAppJobs jobs = crm.service(WhatsAppJobs.class);
    int resumed = jobs.resumeStalledReplies(WhatsAppJobs.MIN_STALL, 100);  // every minute
    int fetched = jobs.fetchPendingMedia(50);                               // every few seconds
    crm.service(WhatsAppOutbox.class).drain(100, queue::accept);            // to your queue, in order
    // README:whatsapp:end
    return new Wired(crm, handshake, stored, inbox, resumed, fetched);
  }

  static List<Ticket> tickets(TenantScope acme, UUID conversationId, UUID agentId) {
    // README:tickets:start
    TicketService tickets = acme.service(TicketService.class);
    Ticket ticket = tickets.open(TicketDraft.builder("Order not delivered")
        .conversation(conversationId)          // a WhatsApp conversation: its customer comes along
        .priority(TicketPriority.HIGH).build());
    tickets.comment(ticket.id(), CommentDraft.publicReply("It leaves today").sentToCustomer());  // on WhatsApp
    tickets.comment(ticket.id(), CommentDraft.internalNote("Courier confirmed"));               // never sent
    Ticket working = tickets.changeStatus(ticket.id(), ticket.version(), TicketStatus.IN_PROGRESS);

    Ticket assigned = acme.inTransaction(tx -> {  // several calls, of any module, one transaction
      Ticket t = tx.service(TicketService.class).update(working.id(), working.version(),  // a stale version is refused
          TicketUpdate.builder().assignee(agentId).build());
      tx.customers().logActivity(t.customerId().orElseThrow(), "escalated", Optional.of(t.number()), Map.of());
      return t;
    });
    Page<Ticket> mine = tickets.list(TicketQuery.builder().assignee(agentId).build(), 20, Optional.empty());
    // README:tickets:end
    List<Ticket> result = new ArrayList<>(mine.items());
    result.add(0, assigned);
    return result;
  }

  static Campaign campaign(TenantScope acme, UUID profileId, UUID customerId, LocalDateTime tomorrowAtNine) {
    // README:campaigns:start
    CampaignService campaigns = acme.service(CampaignService.class);
    Campaign offer = campaigns.create(CampaignDraft.builder("Spring offer", profileId, CampaignContent.template(
        "spring_offer", "ar", List.of(TemplateComponent.body(List.of(
            TemplateParameter.of("{{first_name|عميلنا}}"), TemplateParameter.of("20%")))))).build());
    campaigns.addRecipients(offer.id(), RecipientSelection.customers(List.of(customerId)));
    campaigns.addRecipients(offer.id(), RecipientSelection.phones(List.of("050 123 4567", "+971 50 123 4567")));
    campaigns.addRecipients(offer.id(), RecipientSelection.tag("vip"));  // its customers join at the start
    Campaign scheduled = campaigns.schedule(offer.id(), tomorrowAtNine);  // its time zone; every message rendered first
    // README:campaigns:end
    return scheduled;
  }

  static boolean runners(Crm crm) {
    // README:campaign-runner:start
    CampaignRunner.Workers workers = crm.service(CampaignRunner.class).start(CampaignRunner.Settings.DEFAULT);
    // at shutdown: sends in flight finish, what was claimed but not sent is given back
    workers.close();
    // README:campaign-runner:end
    return workers.stopped();
  }

  @Test
  void theReadmesWhatsAppAndTicketsExamplesRunAsPrinted() throws IOException {
    FakeWhatsAppGateway gateway = new FakeWhatsAppGateway();
    Path media = Files.createTempDirectory("crmkit-readme-media");
    List<WhatsAppEvent> published = new ArrayList<>();
    try (TestDatabase db = TestPostgres.shared().createDatabase()) {
      // The organization exists before the example: a Crm for the platform provisions it.
      UUID orgId;
      UUID adminId;
      try (Crm platform = Crm.builder().dataSource(db.runtimeDataSource()).migrationDataSource(db.adminDataSource())
          .module(WhatsAppModule.builder().sessionKeys(SessionKeys.of("k-2026", Map.of("k-2026", new byte[32])))
              .gateway(gateway).build())
          .build()) {
        platform.migrate();
        ProvisionedOrganization acme = platform.platform().provision(OrganizationDraft.builder().name("Acme")
            .slug("acme").plan("professional").defaultRegion("SA").admin("sara@acme.example").build());
        orgId = acme.organization().id();
        adminId = acme.admin().id();
      }
      byte[] delivery = delivery("106540352242922", "966501234567", "Where is my order?");
      Wired wired = wireWhatsApp(db.runtimeDataSource(), db.adminDataSource(), new byte[32], gateway, media, APP_ID,
          APP_SECRET, published::add, orgId, adminId, "106540352242922", "EAAG-token", "subscribe",
          "your-verify-token", "challenge-42", delivery, WebhookSignature.sign(APP_SECRET, delivery));
      try (Crm crm = wired.crm()) {
        assertThat(wired.handshake()).isEqualTo(new WhatsAppWebhook.Response(200, "challenge-42"));
        assertThat(wired.stored().status()).isEqualTo(200);
        assertThat(wired.resumed()).as("nothing stalled").isZero();
        assertThat(wired.fetched()).as("no media to fetch").isZero();
        assertThat(published).as("the delivery's event reached the queue")
            .hasAtLeastOneElementOfType(WhatsAppEvent.MessageReceived.class);
        UUID conversation = wired.inbox().conversations(ConversationQuery.all(), 10, Optional.empty()).items().get(0)
            .id();

        TenantScope acme = crm.tenant(orgId).as(adminId);
        List<Ticket> tickets = tickets(acme, conversation, adminId);
        assertThat(tickets.get(0).assignedTo()).contains(adminId);
        assertThat(tickets.get(0).status()).isEqualTo(TicketStatus.IN_PROGRESS);
        assertThat(tickets.subList(1, tickets.size())).extracting(Ticket::id).containsExactly(tickets.get(0).id());
        assertThat(gateway.sent()).extracting(s -> s.message().toString()).anyMatch(m -> m.contains("It leaves today"));
        assertThat(acme.customers().timeline(tickets.get(0).customerId().orElseThrow(), 20, Optional.empty()).items())
            .anyMatch(a -> a.type().equals("escalated"));

        LocalDateTime tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).atTime(9, 0);
        Campaign scheduled = campaign(acme, acme.service(WhatsAppProfiles.class).list().get(0).id(),
            tickets.get(0).customerId().orElseThrow(), tomorrow);
        assertThat(scheduled.status()).isEqualTo(CampaignStatus.SCHEDULED);
        assertThat(scheduled.scheduledAt()).as("Acme's zone is UTC").contains(tomorrow.toInstant(ZoneOffset.UTC));
        assertThat(runners(crm)).isTrue();
        assertThat(scheduled.totalRecipients()).as("the customer, whose number is 050 123 4567, and the UAE number")
            .isEqualTo(2);
      }
    }
    assertThat(ReadmeBlocks.inReadme(README, "whatsapp")).isEqualTo(ReadmeBlocks.inSource(SOURCE, "whatsapp"));
    assertThat(ReadmeBlocks.inReadme(README, "tickets")).isEqualTo(ReadmeBlocks.inSource(SOURCE, "tickets"));
    assertThat(ReadmeBlocks.inReadme(README, "campaigns")).isEqualTo(ReadmeBlocks.inSource(SOURCE, "campaigns"));
    assertThat(ReadmeBlocks.inReadme(README, "campaign-runner"))
        .isEqualTo(ReadmeBlocks.inSource(SOURCE, "campaign-runner"));
  }

  /** A delivery of one text message to {@code phoneNumberId}, built the way Meta builds them. */
  private static byte[] delivery(String phoneNumberId, String from, String text) {
    return ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
        + "\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"966112345678\","
        + "\"phone_number_id\":\"" + phoneNumberId + "\"},\"contacts\":[{\"profile\":{\"name\":\"Ahmed\"},\"wa_id\":\""
        + from + "\"}],\"messages\":[{\"from\":\"" + from + "\",\"id\":\"wamid." + UUID.randomUUID()
        + "\",\"timestamp\":\"" + Instant.now().getEpochSecond() + "\",\"type\":\"text\",\"text\":{\"body\":\"" + text
        + "\"}}]}}]}]}").getBytes(StandardCharsets.UTF_8);
  }
}
