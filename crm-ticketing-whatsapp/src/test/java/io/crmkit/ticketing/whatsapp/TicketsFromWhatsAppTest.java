package io.crmkit.ticketing.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.Crm;
import io.crmkit.core.ModuleMigrations;
import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.testdb.TenancyCatalog;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import io.crmkit.ticketing.CommentDraft;
import io.crmkit.ticketing.Ticket;
import io.crmkit.ticketing.TicketDraft;
import io.crmkit.ticketing.TicketService;
import io.crmkit.whatsapp.ConversationQuery;
import io.crmkit.whatsapp.OutgoingMessage;
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
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tickets and WhatsApp together: the bridge's key, links, replies and first-response clock. */
class TicketsFromWhatsAppTest {
  private static final AtomicLong NUMBERS = new AtomicLong(800_000_000_000_000L);
  private static final AtomicLong USERS = new AtomicLong(966_503_000_000L);
  private static TestDatabase db;
  private static Crm crm;
  private static FakeWhatsAppGateway fake;
  private static WhatsAppWebhook webhook;

  @BeforeAll
  static void setUp() {
    db = TestPostgres.shared().createDatabase();
    fake = new FakeWhatsAppGateway();
    // The bridge is found and wires itself; only crm-whatsapp has settings to give.
    crm = Crm.builder().dataSource(db.runtimeDataSource()).migrationDataSource(db.adminDataSource())
        .module(WhatsAppModule.builder().sessionKeys(SessionKeys.of("k", Map.of("k", new byte[32]))).gateway(fake)
            .verifyToken("v").app("111", "s111").build())
        .build();
    crm.migrate();
    webhook = crm.service(WhatsAppWebhook.class);
  }

  @AfterAll
  static void tearDown() {
    crm.close();
    db.close();
  }

  private record Tenant(ProvisionedOrganization org, String number) {
    TenantScope admin() {
      return crm.tenant(org.organization().id()).as(org.admin().id());
    }

    TicketService tickets() {
      return admin().service(TicketService.class);
    }
  }

  private static Tenant tenant() {
    String slug = "org-" + UUID.randomUUID().toString().substring(0, 8);
    ProvisionedOrganization org = crm.platform().provision(OrganizationDraft.builder().name(slug).slug(slug)
        .plan("professional").defaultRegion("SA").admin("admin@" + slug + ".example").build());
    String number = Long.toString(NUMBERS.incrementAndGet());
    crm.tenant(org.organization().id()).as(org.admin().id()).service(WhatsAppProfiles.class).create(
        WhatsAppProfileDraft.builder().name("Support").phoneNumber("+966500000001").phoneNumberId(number)
            .metaAppId("111").session("token").build());
    return new Tenant(org, number);
  }

  /** A user writes to the tenant's number, signed as Meta signs; returns the conversation. */
  private static WhatsAppConversation inbound(Tenant tenant, String from, String text) {
    byte[] body = ("{'object':'whatsapp_business_account','entry':[{'id':'1','changes':[{'field':'messages','value':{"
        + "'messaging_product':'whatsapp','metadata':{'display_phone_number':'1','phone_number_id':'" + tenant.number()
        + "'},'contacts':[{'profile':{'name':'Huda'},'wa_id':'" + from + "'}],'messages':[{'from':'" + from
        + "','id':'wamid." + UUID.randomUUID() + "','timestamp':'" + Instant.now().getEpochSecond()
        + "','type':'text','text':{'body':'" + text + "'}}]}}]}]}").replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    assertThat(webhook.receive(body, WebhookSignature.sign("s111", body)).status()).isEqualTo(200);
    return tenant.admin().service(WhatsAppInbox.class).conversations(ConversationQuery.all(), 10, Optional.empty()).items().stream()
        .filter(c -> c.contactPhone().equals(Optional.of("+" + from))).findFirst().orElseThrow();
  }

  @Test
  void theBridgeMigratesAfterBothModules() {
    assertThat(crm.migrations()).extracting(ModuleMigrations::module)
        .containsExactly("core", "ticketing", "whatsapp", "ticketing_whatsapp");
  }

  @Test
  void withEveryModuleThereNoRuntimeRoleGrantLetsATenantRowsOrganizationIdBeUpdated() throws SQLException {
    try (Connection c = db.adminDataSource().getConnection()) {
      assertThat(TenancyCatalog.tablesWhoseTenantRoleMayUpdate(c, "crm", TestPostgres.RUNTIME_ROLE)).isEmpty();
    }
  }

  @Test
  void aTicketOpenedFromAConversationLinksItAndItsCustomerAndAnotherTenantsConversationIsNotFound() {
    Tenant a = tenant();
    Tenant b = tenant();
    WhatsAppConversation conversation = inbound(a, Long.toString(USERS.incrementAndGet()), "my order is late");
    Ticket ticket = a.tickets().open(TicketDraft.builder("Late order").conversation(conversation.id()).build());
    assertThat(ticket.conversationId()).contains(conversation.id());
    assertThat(ticket.customerId()).isEqualTo(conversation.customerId()).isPresent();
    assertThatThrownBy(() -> b.tickets().open(TicketDraft.builder("not ours").conversation(conversation.id()).build()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void theConversationKeyHoldsInTheDatabase() throws SQLException {
    Tenant a = tenant();
    try (Connection c = db.runtimeDataSource().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("select set_config('app.current_organization_id', ?, true)")) {
        ps.setString(1, a.org().organization().id().toString());
        ps.execute();
      }
      try (PreparedStatement ps = c.prepareStatement("insert into crm.tickets (organization_id, number_period, number,"
          + " ticket_number, title, conversation_id) values (?, '-', 1, 'X-1', 'dangling', ?)")) {
        ps.setObject(1, a.org().organization().id());
        ps.setObject(2, UUID.randomUUID());
        assertThatThrownBy(ps::executeUpdate).isInstanceOf(SQLException.class)
            .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("23503");
      }
    }
  }

  @Test
  void aPublicReplyGoesToTheCustomerOnWhatsAppAfterTheCommitAndAnInternalNoteNever() {
    Tenant a = tenant();
    String from = Long.toString(USERS.incrementAndGet());
    WhatsAppConversation conversation = inbound(a, from, "where is my refund?");
    Ticket ticket = a.tickets().open(TicketDraft.builder("Refund").conversation(conversation.id()).build());
    int before = fake.sent().size();
    a.tickets().comment(ticket.id(), CommentDraft.internalNote("finance approved"));
    a.tickets().comment(ticket.id(), CommentDraft.publicReply("Your refund was sent today").sentToCustomer());
    a.tickets().comment(ticket.id(), CommentDraft.publicReply("(kept on the ticket only)"));
    assertThat(fake.sent().subList(before, fake.sent().size())).extracting(FakeWhatsAppGateway.Sent::message)
        .containsExactly(new OutgoingMessage.Text("+" + from, "Your refund was sent today"));
    assertThat(a.admin().service(WhatsAppInbox.class).messages(conversation.id(), 10, Optional.empty()).items())
        .extracting(m -> m.body().orElse("")).containsExactly("Your refund was sent today", "where is my refund?");
  }

  @Test
  void aTicketReplySentToWhatsAppAndAnAgentsOwnReplyAtTheSameMomentNeverDeadlock() throws Exception {
    Tenant a = tenant();
    WhatsAppConversation conversation = inbound(a, Long.toString(USERS.incrementAndGet()), "anyone there?");
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 15; round++) {
        Ticket ticket = a.tickets().open(TicketDraft.builder("round " + round).conversation(conversation.id()).build());
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        var fromTicket = pool.submit(() -> {
          start.await();
          return a.tickets().comment(ticket.id(), CommentDraft.publicReply("from the ticket").sentToCustomer());
        });
        var fromInbox = pool.submit(() -> {
          start.await();
          return a.admin().service(WhatsAppInbox.class).sendText(conversation.id(), "from the inbox");
        });
        fromTicket.get(30, java.util.concurrent.TimeUnit.SECONDS);
        fromInbox.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(a.tickets().get(ticket.id()).orElseThrow().sla().firstRespondedAt()).isPresent();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anAgentsWhatsAppReplyStopsTheLinkedTicketsFirstResponseClock() {
    Tenant a = tenant();
    WhatsAppConversation conversation = inbound(a, Long.toString(USERS.incrementAndGet()), "help");
    Ticket linked = a.tickets().open(TicketDraft.builder("Help").conversation(conversation.id()).build());
    Ticket other = a.tickets().open(TicketDraft.builder("Unrelated").build());
    assertThat(linked.sla().firstRespondedAt()).isEmpty();
    a.admin().service(WhatsAppInbox.class).sendText(conversation.id(), "Hello, how can we help?");
    assertThat(a.tickets().get(linked.id()).orElseThrow().sla().firstRespondedAt()).isPresent();
    assertThat(a.tickets().get(other.id()).orElseThrow().sla().firstRespondedAt()).isEmpty();
  }
}
