package io.crmkit.ticketing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.TenantScope;
import io.crmkit.core.customers.Activity;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.ProvisionedOrganization;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How hosts reach crm-ticketing: a module found on the class path, its service taken from the scope
 * (joining the scope's transaction), and a bridge module's hooks taken as extensions, or refused
 * clearly without one.
 */
class TicketingModuleTest {
  private static TestTicketing alone;
  private static FakeBridgeModule bridge;
  private static TestTicketing bridged;

  @BeforeAll
  static void setUp() {
    alone = TestTicketing.start();
    bridge = FakeBridgeModule.withReplies();
    bridged = TestTicketing.start(bridge);
  }

  @AfterAll
  static void tearDown() {
    alone.close();
    bridged.close();
  }

  @Test
  void theServiceIsReachedFromTheScopeAndJoinsTheScopesTransaction() throws Exception {
    assertThat(alone.crm.modules()).containsExactly("core", "ticketing");
    ProvisionedOrganization org = alone.provision();
    TenantScope scope = alone.admin(org);
    assertThat(scope.service(TicketService.class).open(TicketDraft.builder("alone").build()).number()).endsWith("-0001");

    Ticket joined = scope.inTransaction(tx -> {
      UUID customer = tx.customers().create(CustomerDraft.builder().fullName("In one transaction").build()).id();
      Ticket opened = tx.service(TicketService.class).open(TicketDraft.builder("joined").customer(customer).build());
      assertThat(tx.service(TicketService.class).get(opened.id())).as("seen inside the callback").isPresent();
      try (Connection other = alone.tenant(org.organization().id())) {
        assertThat(TestTicketing.rows(other, "select count(*) from crm.tickets where id = ?", opened.id()))
            .as("not committed on its own").containsExactly("0");
      }
      return opened;
    });
    assertThat(joined.number()).endsWith("-0002");
    assertThat(scope.service(TicketService.class).get(joined.id())).as("committed with the callback").isPresent();
    assertThat(scope.customers().timeline(joined.customerId().orElseThrow(), 10, Optional.empty()).items())
        .extracting(Activity::type).containsExactly("ticket_opened", "customer_created");
  }

  @Test
  void withoutABridgeAnOpenFromAConversationAndAReplyToTheCustomerAreRefused() throws Exception {
    ProvisionedOrganization org = alone.provision();
    TicketService tickets = alone.tickets(org);
    assertThatThrownBy(() -> tickets.open(TicketDraft.builder("from a chat").conversation(UUID.randomUUID()).build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("conversationId"))
        .hasMessageContaining("crm-ticketing-whatsapp");
    assertThat(tickets.list(TicketQuery.all(), 10, Optional.empty()).items()).as("nothing opened").isEmpty();

    // A ticket with a conversation, which only a bridge could have linked.
    Ticket ticket = tickets.open(TicketDraft.builder("linked elsewhere").build());
    alone.admin("update crm.tickets set conversation_id = ? where id = ? returning id", UUID.randomUUID(), ticket.id());
    assertThatThrownBy(() -> tickets.comment(ticket.id(), CommentDraft.publicReply("hi").sentToCustomer()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("sendToCustomer"))
        .hasMessageContaining("reply channel");
    assertThat(tickets.comments(ticket.id(), true, 10, Optional.empty()).items()).as("nothing stored").isEmpty();
    assertThat(tickets.get(ticket.id()).orElseThrow().sla().firstRespondedAt()).as("nothing answered").isEmpty();
  }

  @Test
  void aBridgesConversationLinksGiveTheTicketItsConversationsCustomer() {
    assertThat(bridged.crm.modules()).containsExactly("core", "ticketing", "fake_bridge");
    ProvisionedOrganization org = bridged.provision();
    TicketService tickets = bridged.tickets(org);
    UUID customer = bridged.admin(org).customers().create(CustomerDraft.builder().fullName("Chatting").build()).id();
    UUID other = bridged.admin(org).customers().create(CustomerDraft.builder().fullName("Someone else").build()).id();
    UUID conversation = bridge.conversation(customer);

    Ticket fromChat = tickets.open(TicketDraft.builder("from a chat").conversation(conversation).build());
    assertThat(fromChat.conversationId()).contains(conversation);
    assertThat(fromChat.customerId()).as("the conversation's customer").contains(customer);
    assertThat(tickets.open(TicketDraft.builder("same customer given").conversation(conversation).customer(customer)
        .build()).customerId()).contains(customer);
    assertThatThrownBy(() -> tickets.open(TicketDraft.builder("another's").conversation(conversation).customer(other)
        .build())).isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("customerId"));
    assertThatThrownBy(() -> tickets.open(TicketDraft.builder("unknown chat").conversation(UUID.randomUUID()).build()))
        .as("the link refuses a conversation the organization does not have").isInstanceOf(NotFoundException.class);
    assertThat(tickets.open(TicketDraft.builder("anonymous chat").conversation(bridge.conversation(null)).build())
        .customerId()).isEmpty();
  }

  @Test
  void aBridgesReplyChannelSendsAReplyForTheCustomerInTheCommentsTransaction() {
    ProvisionedOrganization org = bridged.provision();
    TicketService tickets = bridged.tickets(org);
    UUID customer = bridged.admin(org).customers().create(CustomerDraft.builder().fullName("Waiting").build()).id();
    Ticket ticket = tickets.open(TicketDraft.builder("reply to me").conversation(bridge.conversation(customer)).build());

    TicketComment reply = tickets.comment(ticket.id(), CommentDraft.publicReply("Your parcel ships today")
        .sentToCustomer());
    bridged.clock.advance(Duration.ofSeconds(1));
    tickets.comment(ticket.id(), CommentDraft.publicReply("A reply kept on the ticket"));
    bridged.clock.advance(Duration.ofSeconds(1));
    assertThat(sentFor(ticket)).singleElement().satisfies(sent -> {
      assertThat(sent.reply()).isEqualTo(reply);
      assertThat(sent.ticket().id()).isEqualTo(ticket.id());
      assertThat(sent.commentsInItsTransaction()).as("called in the comment's transaction, which shows it")
          .containsExactly("Your parcel ships today");
    });
    assertThat(tickets.get(ticket.id()).orElseThrow().sla().firstRespondedAt()).isPresent();

    bridge.refuseSends = true;
    try {
      assertThatThrownBy(() -> tickets.comment(ticket.id(), CommentDraft.publicReply("never sent").sentToCustomer()))
          .hasMessageContaining("refused the reply");
    } finally {
      bridge.refuseSends = false;
    }
    assertThat(tickets.comments(ticket.id(), true, 10, Optional.empty()).items()).extracting(TicketComment::body)
        .as("a refused reply is not stored").containsExactly("Your parcel ships today", "A reply kept on the ticket");
    assertThat(sentFor(ticket)).hasSize(1);
  }

  @Test
  void aBridgeOfferingLinksButNoReplyChannelLeavesRepliesToTheCustomerRefused() {
    FakeBridgeModule linksOnly = FakeBridgeModule.linksOnly();
    try (TestTicketing t = TestTicketing.start(linksOnly)) {
      ProvisionedOrganization org = t.provision();
      TicketService tickets = t.tickets(org);
      Ticket ticket = tickets.open(TicketDraft.builder("from a chat").conversation(linksOnly.conversation(null)).build());
      assertThat(ticket.conversationId()).isPresent();
      assertThatThrownBy(() -> tickets.comment(ticket.id(), CommentDraft.publicReply("hi").sentToCustomer()))
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("sendToCustomer"))
          .hasMessageContaining("reply channel");
      assertThat(tickets.comment(ticket.id(), CommentDraft.publicReply("kept on the ticket")).body())
          .isEqualTo("kept on the ticket");
    }
  }

  private static List<FakeBridgeModule.Sent> sentFor(Ticket ticket) {
    return bridge.sent.stream().filter(sent -> sent.ticket().id().equals(ticket.id())).toList();
  }
}
