package io.crmkit.ticketing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.Page;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.ProvisionedOrganization;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Public replies and internal notes, with attachments; internal notes never shown as public. */
class TicketCommentsTest {
  private static TestTicketing t;
  private static ProvisionedOrganization org;
  private static TicketService tickets;

  @BeforeAll
  static void setUp() {
    t = TestTicketing.start();
    org = t.provision();
    tickets = t.tickets(org);
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  @Test
  void internalNotesAreNeverAmongThePublicComments() {
    Ticket ticket = tickets.open(TicketDraft.builder("refund").build());
    Attachment receipt = new Attachment("https://files.example.com/r/42.pdf", "receipt-42.pdf", 18_233);
    TicketComment reply = tickets.comment(ticket.id(), CommentDraft.publicReply("Refund on its way")
        .withAttachments(List.of(receipt)));
    t.clock.advance(java.time.Duration.ofSeconds(1));
    tickets.comment(ticket.id(), CommentDraft.internalNote("Approved by finance, do not tell the amount"));
    t.clock.advance(java.time.Duration.ofSeconds(1));
    tickets.comment(ticket.id(), CommentDraft.publicReply("Done"));

    assertThat(tickets.comments(ticket.id(), false, 10, Optional.empty()).items())
        .extracting(TicketComment::body).containsExactly("Refund on its way", "Done");
    assertThat(tickets.comments(ticket.id(), false, 10, Optional.empty()).items())
        .noneMatch(TicketComment::internal);
    assertThat(tickets.comments(ticket.id(), true, 10, Optional.empty()).items())
        .extracting(TicketComment::body)
        .containsExactly("Refund on its way", "Approved by finance, do not tell the amount", "Done");
    assertThat(reply.attachments()).containsExactly(receipt);
    assertThat(tickets.comments(ticket.id(), false, 1, Optional.empty()).items().get(0).attachments())
        .containsExactly(receipt);
    assertThatThrownBy(() -> new CommentDraft("x", true, List.of(), true))
        .as("an internal note cannot be sent").isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void commentsPageOldestFirstWithoutLosingOrRepeatingOne() {
    Ticket ticket = tickets.open(TicketDraft.builder("long thread").build());
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      written.add("reply " + i);
      t.clock.advance(java.time.Duration.ofSeconds(i % 2)); // two at a time share a timestamp
      tickets.comment(ticket.id(), CommentDraft.publicReply("reply " + i));
    }
    List<String> walked = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<TicketComment> page = tickets.comments(ticket.id(), false, 3, cursor);
      page.items().forEach(c -> walked.add(c.body()));
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    assertThat(walked).as("each once").containsExactlyInAnyOrderElementsOf(written);
    assertThat(tickets.comments(ticket.id(), false, 10, Optional.empty()).items()).extracting(TicketComment::body)
        .as("in time order, ties by id").isEqualTo(walked);
    assertThatThrownBy(() -> tickets.comments(ticket.id(), false, 3, Optional.of("not-a-cursor")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
    String pastTheDatabasesRange = new io.crmkit.core.spi.Keyset(java.time.Instant.parse("+99999-01-01T00:00:00Z"),
        java.util.UUID.randomUUID()).encode();
    assertThatThrownBy(() -> tickets.comments(ticket.id(), false, 3, Optional.of(pastTheDatabasesRange)))
        .as("a well-formed cursor whose time PostgreSQL cannot hold")
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
  }

  @Test
  void aReplyForTheCustomerNeedsAConversationAndAChannelAndBadInputStoresNothing() throws Exception {
    Ticket ticket = tickets.open(TicketDraft.builder("no conversation").build());
    assertThatThrownBy(() -> tickets.comment(ticket.id(), CommentDraft.publicReply("hi").sentToCustomer()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("sendToCustomer"));
    assertThatThrownBy(() -> tickets.comment(ticket.id(), CommentDraft.publicReply("  ")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("body"));
    assertThatThrownBy(() -> new Attachment("file:///etc/passwd", "passwd", 1))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("url"));
    try (Connection c = t.tenant(org.organization().id())) {
      assertThat(TestTicketing.rows(c, "select count(*) from crm.ticket_comments where ticket_id = ?", ticket.id()))
          .containsExactly("0");
    }
    assertThat(tickets.get(ticket.id()).orElseThrow().sla().firstRespondedAt()).as("nothing answered").isEmpty();
  }
}
