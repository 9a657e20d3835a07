package io.crmkit.ticketing.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.testdb.RowCounts;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import io.crmkit.ticketing.CommentDraft;
import io.crmkit.ticketing.Ticket;
import io.crmkit.ticketing.TicketComment;
import io.crmkit.ticketing.TicketDraft;
import io.crmkit.ticketing.TicketService;
import io.crmkit.ticketing.whatsapp.internal.WhatsAppConversationLinks;
import io.crmkit.ticketing.whatsapp.internal.WhatsAppTicketReplies;
import io.crmkit.whatsapp.ConversationQuery;
import io.crmkit.whatsapp.SessionKeys;
import io.crmkit.whatsapp.WebhookSignature;
import io.crmkit.whatsapp.WhatsAppInbox;
import io.crmkit.whatsapp.WhatsAppModule;
import io.crmkit.whatsapp.WhatsAppProfileDraft;
import io.crmkit.whatsapp.WhatsAppProfiles;
import io.crmkit.whatsapp.WhatsAppWebhook;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bridge's extension points with what they must refuse: another tenant's conversation is not
 * found (as one that does not exist), a reply WhatsApp cannot carry is refused on {@code body}
 * before anything is stored, and neither changes a row or sends anything.
 */
class BridgeBadInputTest {
  private static final AtomicLong NUMBERS = new AtomicLong(810_000_000_000_000L);
  private static final AtomicLong USERS = new AtomicLong(966_505_000_000L);
  private static TestDatabase db;
  private static Crm crm;
  private static FakeWhatsAppGateway fake;
  private static Tenant a;
  private static Tenant b;

  private record Tenant(ProvisionedOrganization org, UUID conversation, Ticket ticket) {
    TenantScope admin() {
      return crm.tenant(org.organization().id()).as(org.admin().id());
    }

    TicketService tickets() {
      return admin().service(TicketService.class);
    }
  }

  @BeforeAll
  static void setUp() {
    db = TestPostgres.shared().createDatabase();
    fake = new FakeWhatsAppGateway();
    crm = Crm.builder().dataSource(db.runtimeDataSource()).migrationDataSource(db.adminDataSource())
        .module(WhatsAppModule.builder().sessionKeys(SessionKeys.of("k", Map.of("k", new byte[32]))).gateway(fake)
            .verifyToken("v").app("111", "s111").build())
        .build();
    crm.migrate();
    a = tenant();
    b = tenant();
  }

  @AfterAll
  static void tearDown() {
    crm.close();
    db.close();
  }

  /** A tenant whose customer wrote on WhatsApp just now, and a ticket opened from that conversation. */
  private static Tenant tenant() {
    String slug = "org-" + UUID.randomUUID().toString().substring(0, 8);
    ProvisionedOrganization org = crm.platform().provision(OrganizationDraft.builder().name(slug).slug(slug)
        .plan("professional").defaultRegion("SA").admin("admin@" + slug + ".example").build());
    TenantScope admin = crm.tenant(org.organization().id()).as(org.admin().id());
    String number = Long.toString(NUMBERS.incrementAndGet());
    admin.service(WhatsAppProfiles.class).create(WhatsAppProfileDraft.builder().name("Support")
        .phoneNumber("+966500000001").phoneNumberId(number).metaAppId("111").session("token").build());
    String from = Long.toString(USERS.incrementAndGet());
    byte[] body = ("{'object':'whatsapp_business_account','entry':[{'id':'1','changes':[{'field':'messages','value':{"
        + "'messaging_product':'whatsapp','metadata':{'display_phone_number':'1','phone_number_id':'" + number
        + "'},'contacts':[{'profile':{'name':'Huda'},'wa_id':'" + from + "'}],'messages':[{'from':'" + from
        + "','id':'wamid." + UUID.randomUUID() + "','timestamp':'" + Instant.now().getEpochSecond()
        + "','type':'text','text':{'body':'my order is late'}}]}}]}]}").replace('\'', '"')
        .getBytes(StandardCharsets.UTF_8);
    assertThat(crm.service(WhatsAppWebhook.class).receive(body, WebhookSignature.sign("s111", body)).status())
        .isEqualTo(200);
    UUID conversation = admin.service(WhatsAppInbox.class).conversations(ConversationQuery.all(), 10,
        Optional.empty()).items().get(0).id();
    Ticket ticket = admin.service(TicketService.class).open(TicketDraft.builder("Late order")
        .conversation(conversation).build());
    return new Tenant(org, conversation, ticket);
  }

  /** {@code call} throws what {@code expected} says, nothing is sent to WhatsApp, and no table gains or loses a row. */
  private static void refusedChangingNothing(ThrowingCallable call, Class<? extends Exception> expected,
      String fieldOrEntity) {
    Map<String, Long> counts = RowCounts.of(db.adminDataSource(), "crm");
    int sent = fake.sent().size();
    if (expected == ValidationException.class) {
      assertThatThrownBy(call).isInstanceOfSatisfying(ValidationException.class,
          e -> assertThat(e.field()).isEqualTo(fieldOrEntity));
    } else {
      assertThatThrownBy(call).isInstanceOfSatisfying(NotFoundException.class,
          e -> assertThat(e.entity()).isEqualTo(fieldOrEntity));
    }
    assertThat(RowCounts.of(db.adminDataSource(), "crm")).as("no row added or removed").isEqualTo(counts);
    assertThat(fake.sent()).as("nothing sent").hasSize(sent);
  }

  @Test
  void anotherTenantsConversationIsNotFoundAsOneThatDoesNotExist() {
    for (UUID conversation : List.of(b.conversation(), UUID.randomUUID())) {
      refusedChangingNothing(() -> a.tickets().open(TicketDraft.builder("not ours").conversation(conversation)
          .build()), NotFoundException.class, "conversation");
      refusedChangingNothing(() -> TenantWork.call(a.admin(),
          tx -> new WhatsAppConversationLinks().customerOf(tx, conversation)), NotFoundException.class, "conversation");
      // A ticket naming a conversation its tenant cannot see (the composite key keeps one from being
      // stored; a channel still refuses one handed to it).
      Ticket strayed = new Ticket(a.ticket().id(), a.ticket().number(), a.ticket().customerId(),
          Optional.of(conversation), a.ticket().title(), a.ticket().description(), a.ticket().type(),
          a.ticket().status(), a.ticket().priority(), a.ticket().assignedTo(), a.ticket().createdBy(),
          a.ticket().tags(), a.ticket().customFields(), a.ticket().version(), a.ticket().resolvedAt(),
          a.ticket().closedAt(), a.ticket().sla(), a.ticket().createdAt(), a.ticket().updatedAt());
      TicketComment reply = new TicketComment(UUID.randomUUID(), a.ticket().id(), Optional.empty(), "hello", false,
          List.of(), Instant.now());
      refusedChangingNothing(() -> TenantWork.call(a.admin(), tx -> {
        new WhatsAppTicketReplies().send(tx, strayed, reply);
        return null;
      }), NotFoundException.class, "conversation");
    }
  }

  @Test
  void aReplyWhatsAppCannotCarryIsRefusedOnItsBodyBeforeAnythingIsStored() {
    UUID ticket = a.ticket().id();
    refusedChangingNothing(() -> a.tickets().comment(ticket, CommentDraft.publicReply("x".repeat(4097))
        .sentToCustomer()), ValidationException.class, "body");
    refusedChangingNothing(() -> a.tickets().comment(ticket, CommentDraft.publicReply("hi\u0000")
        .sentToCustomer()), ValidationException.class, "body");
    refusedChangingNothing(() -> new WhatsAppTicketReplies().check("ن".repeat(4097)), ValidationException.class,
        "body");

    String longest = "\u200Fن'; --\n".repeat(512);
    assertThat(longest).hasSize(4096);
    a.tickets().comment(ticket, CommentDraft.publicReply(longest).sentToCustomer());
    assertThat(a.admin().service(WhatsAppInbox.class).messages(a.conversation(), 1, Optional.empty()).items())
        .extracting(m -> m.body().orElse("")).as("at the limit, sent as written").containsExactly(longest);
    assertThat(a.tickets().comment(ticket, CommentDraft.publicReply("x".repeat(4097))).body())
        .as("a reply kept on the ticket may be longer").hasSize(4097);
  }
}
