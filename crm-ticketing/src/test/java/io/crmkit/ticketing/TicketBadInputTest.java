package io.crmkit.ticketing;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.core.Page;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.spi.Keyset;
import io.crmkit.ticketing.ServiceCases.Invalid;
import io.crmkit.ticketing.ServiceCases.NotFound;
import io.crmkit.ticketing.ServiceCases.Returned;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every public method of {@link TicketService}, driven with input that cannot be stored or is out
 * of range and with ids the tenant cannot see: each answers a typed exception naming the field or
 * the entity, and no row changes. Valid edge cases (right-to-left marks, SQL metacharacters, LIKE
 * wildcards, emoji, text at its limit) are stored and read back unchanged.
 */
class TicketBadInputTest {
  /** Text a host may well send: a right-to-left mark, Arabic, SQL metacharacters, LIKE wildcards, emoji. */
  private static final String EDGY = "\u200Fطلب 'A-1042'; drop table crm.tickets; -- %_\\ 🚚";
  private static TestTicketing t;
  private static Tenant a;
  private static Tenant b;
  /** A number only b's tickets have (numbers repeat across organizations, so a's format never writes it). */
  private static String othersNumber;

  private record Tenant(ProvisionedOrganization org, UUID customer, Ticket ticket) {
    TicketService tickets() {
      return t.tickets(org);
    }
  }

  @BeforeAll
  static void setUp() {
    t = TestTicketing.start();
    a = tenant();
    b = tenant();
    b.tickets().updateSettings(TicketSettings.defaults().withNumberFormat("OTHER-{NNNN}"));
    othersNumber = b.tickets().open(TicketDraft.builder("Numbered apart").build()).number();
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private static Tenant tenant() {
    ProvisionedOrganization org = t.provision();
    UUID customer = t.admin(org).customers().create(CustomerDraft.builder().fullName("Huda").build()).id();
    Ticket ticket = t.tickets(org).open(TicketDraft.builder("Damaged order").customer(customer).build());
    return new Tenant(org, customer, ticket);
  }

  /** Every case, keyed by the method it calls. */
  private static ServiceCases cases() {
    ServiceCases cases = new ServiceCases();
    TicketService tickets = a.tickets();
    UUID ticket = a.ticket().id();
    long version = a.ticket().version();
    String farCursor = new Keyset(Instant.parse("+99999-01-01T00:00:00Z"), UUID.randomUUID()).encode();
    Page<Object> empty = new Page<>(List.of(), Optional.empty());

    cases.on(TicketService.class, "open", TicketDraft.class)
        .invalidTexts("title", 255, true, true, title -> () -> tickets.open(TicketDraft.builder(title).build()))
        .invalidTexts("description", 20_000, false, false, d -> () -> tickets.open(TicketDraft.builder("t")
            .description(d).build()))
        .invalidTexts("tags", 64, true, true, tag -> () -> tickets.open(TicketDraft.builder("t").tags(List.of("ok", tag))
            .build()))
        .invalid("tags", "51 tags", () -> tickets.open(TicketDraft.builder("t").tags(IntStream.range(0, 51)
            .mapToObj(i -> "n" + i).toList()).build()))
        .invalid("conversationId", "a conversation without a bridge", () -> tickets.open(TicketDraft.builder("t")
            .conversation(UUID.randomUUID()).build()))
        .invisible("a customer", b.customer(), new NotFound("customer"),
            id -> tickets.open(TicketDraft.builder("t").customer(id).build()))
        .invisible("an assignee", b.org().admin().id(), new Invalid("assignee"),
            id -> tickets.open(TicketDraft.builder("t").assignee(id).build()));
    customFieldCases(cases, fields -> () -> tickets.open(TicketDraft.builder("t").customFields(fields).build()));
    cases.on(TicketService.class, "get", UUID.class)
        .invisible("a ticket", b.ticket().id(), new Returned(Optional.empty()), tickets::get);
    cases.on(TicketService.class, "byNumber", String.class)
        .invalidTexts("number", 60, true, true, number -> () -> tickets.byNumber(number))
        .invisible("a ticket's number", "TICKET-1999-0001", othersNumber, new Returned(Optional.empty()),
            tickets::byNumber);
    cases.on(TicketService.class, "update", UUID.class, long.class, TicketUpdate.class)
        .invalidTexts("title", 255, true, true, title -> () -> tickets.update(ticket, version,
            TicketUpdate.builder().title(title).build()))
        .invalidTexts("description", 20_000, false, false, d -> () -> tickets.update(ticket, version,
            TicketUpdate.builder().description(d).build()))
        .invalidTexts("tags", 64, true, true, tag -> () -> tickets.update(ticket, version,
            TicketUpdate.builder().tags(List.of(tag)).build()));
    expectedVersions(cases, v -> () -> tickets.update(ticket, v, TicketUpdate.builder().title("x").build()));
    customFieldCases(cases, fields -> () -> tickets.update(ticket, version,
        TicketUpdate.builder().customFields(fields).build()));
    cases.invisible("a ticket", b.ticket().id(), new NotFound("ticket"),
            id -> tickets.update(id, 1, TicketUpdate.builder().title("x").build()))
        .invisible("an assignee", b.org().admin().id(), new Invalid("assignee"),
            id -> tickets.update(ticket, version, TicketUpdate.builder().assignee(id).build()));
    for (String name : List.of("changeStatus", "forceStatus")) {
      cases.on(TicketService.class, name, UUID.class, long.class, TicketStatus.class);
      boolean force = name.equals("forceStatus");
      expectedVersions(cases, v -> () -> force ? tickets.forceStatus(ticket, v, TicketStatus.CLOSED)
          : tickets.changeStatus(ticket, v, TicketStatus.IN_PROGRESS));
      cases.invisible("a ticket", b.ticket().id(), new NotFound("ticket"), id -> force
          ? tickets.forceStatus(id, 1, TicketStatus.CLOSED) : tickets.changeStatus(id, 1, TicketStatus.IN_PROGRESS));
    }
    commentCases(cases, tickets, ticket);
    cases.on(TicketService.class, "comments", UUID.class, boolean.class, int.class, Optional.class)
        .invalidSizes("limit", 200, limit -> () -> tickets.comments(ticket, true, limit, Optional.empty()))
        .invalid("cursor", "a cursor that is not one", () -> tickets.comments(ticket, true, 10, Optional.of("%")))
        .invalid("cursor", "a cursor past what PostgreSQL holds", () -> tickets.comments(ticket, true, 10,
            Optional.of(farCursor)))
        .invisible("a ticket's comments", b.ticket().id(), new NotFound("ticket"),
            id -> tickets.comments(id, true, 10, Optional.empty()));
    cases.on(TicketService.class, "list", TicketQuery.class, int.class, Optional.class)
        .invalidTexts("tag", 64, true, true, tag -> () -> tickets.list(TicketQuery.builder().tag(tag).build(), 10,
            Optional.empty()))
        .invalidTexts("text", 255, true, false, text -> () -> tickets.list(TicketQuery.builder().text(text).build(),
            10, Optional.empty()))
        .invalidSizes("limit", 200, limit -> () -> tickets.list(TicketQuery.all(), limit, Optional.empty()))
        .invalid("cursor", "a cursor with NUL", () -> tickets.list(TicketQuery.all(), 10, Optional.of("\u0000")))
        .invisible("filtered by another tenant's customer", b.customer(), new Returned(empty),
            id -> tickets.list(TicketQuery.builder().customer(id).build(), 10, Optional.empty()));
    cases.on(TicketService.class, "counts").answers("the board", tickets::counts);
    cases.on(TicketService.class, "slaDue", Duration.class, int.class)
        .invalidSizes("limit", 500, limit -> () -> tickets.slaDue(Duration.ofHours(1), limit));
    for (Duration within : List.of(Duration.ofSeconds(-1), Duration.ofDays(3651), Duration.ofSeconds(Long.MAX_VALUE),
        Duration.ofSeconds(Long.MIN_VALUE))) {
      cases.invalid("within", "within = " + within, () -> tickets.slaDue(within, 10));
    }
    cases.on(TicketService.class, "settings").answers("the settings", tickets::settings);
    settingsCases(cases, tickets);
    return cases;
  }

  /** Custom fields a record cannot store: control characters in keys and values, non-finite numbers, too much. */
  private static void customFieldCases(ServiceCases cases,
      java.util.function.Function<Map<String, Object>, java.util.concurrent.Callable<?>> call) {
    // Each refusal names where in the fields it is, from customFields.
    record Bad(String field, String what, Map<String, Object> fields) {}
    for (Bad bad : List.of(
        new Bad("customFields", "a key with NUL", Map.of("a\u0000b", "x")),
        new Bad("customFields", "a blank key", Map.of("  ", "x")),
        new Bad("customFields", "a key of 65", Map.of("k".repeat(65), "x")),
        new Bad("customFields.city", "a value with NUL", Map.of("city", "Riyadh\u0000")),
        new Bad("customFields.city", "a value with an unpaired surrogate", Map.of("city", "\uD800")),
        new Bad("customFields.address.lines[1]", "a nested value with a bell",
            Map.of("address", Map.of("lines", List.of("ok", "a\u0007b")))),
        new Bad("customFields.score", "NaN", Map.of("score", Double.NaN)),
        new Bad("customFields.score", "infinity", Map.of("score", Double.POSITIVE_INFINITY)),
        new Bad("customFields", "more than 64,000 characters as JSON", Map.of("big", "x".repeat(64_001))))) {
      cases.invalid(bad.field(), "custom fields with " + bad.what(), call.apply(bad.fields()));
    }
  }

  private static void expectedVersions(ServiceCases cases,
      java.util.function.LongFunction<java.util.concurrent.Callable<?>> call) {
    for (long version : new long[] {0, -1, Long.MIN_VALUE}) {
      cases.invalid("expectedVersion", "expectedVersion = " + version, call.apply(version));
    }
  }

  private static void commentCases(ServiceCases cases, TicketService tickets, UUID ticket) {
    cases.on(TicketService.class, "comment", UUID.class, CommentDraft.class)
        .invalidTexts("body", 20_000, false, true, body -> () -> tickets.comment(ticket, CommentDraft.publicReply(body)))
        .invalid("sendToCustomer", "a reply for a ticket without a conversation", () -> tickets.comment(ticket,
            CommentDraft.publicReply("hi").sentToCustomer()))
        .invalid("attachments", "21 attachments", () -> tickets.comment(ticket, CommentDraft.publicReply("hi")
            .withAttachments(IntStream.range(0, 21).mapToObj(i -> new Attachment("https://f.example/" + i, i + ".pdf",
                1)).toList())))
        .invalid("size", "an attachment of -1 bytes", () -> tickets.comment(ticket, CommentDraft.publicReply("hi")
            .withAttachments(List.of(new Attachment("https://f.example/a.pdf", "a.pdf", -1)))))
        .invalidTexts("filename", 255, true, true, name -> () -> tickets.comment(ticket, CommentDraft.publicReply("hi")
            .withAttachments(List.of(new Attachment("https://f.example/a.pdf", name, 1)))));
    for (String url : List.of("https://f.example/a\u0000.pdf", "https://f.example/a b.pdf", "https://f.example/\n",
        "https://f.example/\uDC00", "file:///etc/passwd", "javascript:alert(1)", "", "https://" + "a".repeat(2041))) {
      cases.invalid("url", "an attachment at " + ServiceCases.shown(url), () -> tickets.comment(ticket,
          CommentDraft.publicReply("hi").withAttachments(List.of(new Attachment(url, "a.pdf", 1)))));
    }
    cases.invisible("a ticket", b.ticket().id(), new NotFound("ticket"),
        id -> tickets.comment(id, CommentDraft.internalNote("hi")));
  }

  private static void settingsCases(ServiceCases cases, TicketService tickets) {
    cases.on(TicketService.class, "updateSettings", TicketSettings.class);
    for (String format : List.of("T-{NNNN}\u0000", "", "T-" + "x".repeat(36) + "{N}", "TICKET", "{N}-{NN}",
        "\u200FT-{NNNN}", "T-{NNNN}'; drop table crm.tickets; --", "T {NNNN}", "T-{NNNNNNNNNN}")) {
      cases.invalid("numberFormat", "number format " + ServiceCases.shown(format),
          () -> tickets.updateSettings(TicketSettings.defaults().withNumberFormat(format)));
    }
    for (Duration target : List.of(Duration.ZERO, Duration.ofMinutes(-30), Duration.ofSeconds(90),
        Duration.ofMillis(60_001), Duration.ofDays(3651))) {
      cases.invalid("firstResponse", "a first response target of " + target, () -> tickets.updateSettings(
          TicketSettings.defaults().withSla(TicketPriority.HIGH, SlaTarget.of(target, Duration.ofHours(1)))));
      cases.invalid("resolution", "a resolution target of " + target, () -> tickets.updateSettings(
          TicketSettings.defaults().withSla(TicketPriority.LOW, SlaTarget.of(Duration.ofHours(1), target))));
    }
    cases.invalid("sla", "a priority without targets", () -> tickets.updateSettings(new TicketSettings(
        TicketSettings.DEFAULT_NUMBER_FORMAT, Map.of(TicketPriority.LOW, SlaTarget.none()))));
  }

  @Test
  void everyPublicMethodOfTheServiceIsDriven() {
    assertThat(cases().undriven(TicketService.class)).as("service methods no case drives").isEmpty();
  }

  @TestFactory
  Stream<DynamicTest> badInputIsRefusedNamingTheFieldAndChangesNothing() {
    return cases().cases().stream().map(c -> DynamicTest.dynamicTest(c.name(),
        () -> ServiceCases.check(c, t.db.adminDataSource())));
  }

  @TestFactory
  Stream<DynamicTest> anIdOfAnotherTenantIsAnsweredAsAnIdThatDoesNotExist() {
    return cases().invisible().stream().map(c -> DynamicTest.dynamicTest(c.name(),
        () -> ServiceCases.check(c, t.db.adminDataSource())));
  }

  @Test
  void rightToLeftMarksMetacharactersAndEmojiAreStoredAndReadBackUnchanged() {
    TicketService tickets = a.tickets();
    String description = EDGY + "\n\tsecond line";
    Map<String, Object> fields = Map.of("\u200Fملاحظة", EDGY, "'; --", List.of("%", "_"));
    Ticket opened = tickets.open(TicketDraft.builder(EDGY).description(description).customer(a.customer())
        .tags(List.of("'; drop table crm.tickets; --", "\u200Fعميل", "🚚")).customFields(fields).build());

    Ticket read = tickets.get(opened.id()).orElseThrow();
    assertThat(read.title()).isEqualTo(EDGY);
    assertThat(read.description()).contains(description);
    assertThat(read.tags()).containsExactly("'; drop table crm.tickets; --", "\u200Fعميل", "🚚");
    assertThat(read.customFields()).isEqualTo(fields);
    assertThat(tickets.list(TicketQuery.builder().text("%_\\").build(), 10, Optional.empty()).items())
        .as("wildcards are characters").extracting(Ticket::id).containsExactly(opened.id());
    assertThat(tickets.list(TicketQuery.builder().tag("'; drop table crm.tickets; --").build(), 10, Optional.empty())
        .items()).extracting(Ticket::id).containsExactly(opened.id());
    assertThat(tickets.list(TicketQuery.builder().text("   ").build(), 10, Optional.empty()).items())
        .as("blank text is no filter").hasSizeGreaterThanOrEqualTo(2);
    assertThat(tickets.byNumber("'; drop table crm.tickets; --")).isEmpty();

    String longest = "ن".repeat(255);
    Ticket renamed = tickets.update(opened.id(), opened.version(), TicketUpdate.builder().title(longest)
        .description(" \n ").build());
    assertThat(renamed.title()).isEqualTo(longest);
    assertThat(renamed.description()).as("a blank description is none").isEmpty();

    Attachment invoice = new Attachment("https://files.example.com/فاتورة.pdf?a='1'", "فاتورة '; --.pdf", 0);
    tickets.comment(opened.id(), CommentDraft.publicReply(description).withAttachments(List.of(invoice)));
    assertThat(tickets.comments(opened.id(), true, 10, Optional.empty()).items()).singleElement().satisfies(c -> {
      assertThat(c.body()).isEqualTo(description);
      assertThat(c.attachments()).containsExactly(invoice);
    });
  }
}
