package io.crmkit.ticketing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.core.customers.Activity;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.LimitExceededException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.testdb.Jdbc;
import io.crmkit.testdb.MutableClock;
import java.sql.Connection;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ticket numbers: per organization, consecutive, without gaps, under concurrency, across years. */
class TicketNumberingTest {
  private static TestTicketing t;

  @BeforeAll
  static void setUp() {
    t = TestTicketing.start();
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private static String year() {
    return Integer.toString(java.time.LocalDate.ofInstant(t.clock.instant(), ZoneId.of("Asia/Riyadh")).getYear());
  }

  @Test
  void eightThreadsOpeningFiveHundredEachGetFourThousandConsecutiveNumbers() throws Exception {
    ProvisionedOrganization org = t.provision("business", ZoneId.of("Asia/Riyadh"));
    TicketService tickets = t.tickets(org);
    List<String> numbers = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int thread = 0; thread < 8; thread++) {
        int worker = thread;
        runs.add(pool.submit(() -> {
          for (int i = 0; i < 500; i++) {
            numbers.add(tickets.open(TicketDraft.builder("worker " + worker + " ticket " + i).build()).number());
          }
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    String prefix = "TICKET-" + year() + "-";
    assertThat(numbers).hasSize(4000).doesNotHaveDuplicates().allMatch(n -> n.startsWith(prefix));
    assertThat(numbers.stream().map(n -> Long.parseLong(n.substring(prefix.length()))).sorted().toList())
        .as("1 to 4000, no gaps").isEqualTo(LongStream.rangeClosed(1, 4000).boxed().toList());
    assertThat(t.admin("select count(*), max(number) from crm.tickets where organization_id = ?",
        org.organization().id())).containsExactly("4000 4000");
  }

  @Test
  void eachOrganizationNumbersFromOne() {
    ProvisionedOrganization a = t.provision();
    ProvisionedOrganization b = t.provision();
    assertThat(t.tickets(a).open(TicketDraft.builder("A's first").build()).number()).isEqualTo("TICKET-" + year() + "-0001");
    assertThat(t.tickets(b).open(TicketDraft.builder("B's first").build()).number())
        .as("not a collision with A's").isEqualTo("TICKET-" + year() + "-0001");
    assertThat(t.tickets(a).open(TicketDraft.builder("A's second").build()).number()).endsWith("-0002");
  }

  @Test
  void ticketTenThousandKeepsEveryDigitAndNeverCollidesWithOneThousand() throws Exception {
    ProvisionedOrganization org = t.provision();
    TicketService tickets = t.tickets(org);
    t.admin("insert into crm.ticket_counters (organization_id, period, last_number) values (?, ?, 999)",
        org.organization().id(), year());
    assertThat(tickets.open(TicketDraft.builder("one thousand").build()).number()).isEqualTo("TICKET-" + year() + "-1000");
    t.admin("update crm.ticket_counters set last_number = 9998 where organization_id = ?", org.organization().id());
    assertThat(tickets.open(TicketDraft.builder("9999").build()).number()).isEqualTo("TICKET-" + year() + "-9999");
    Ticket tenThousand = tickets.open(TicketDraft.builder("ten thousand").build());
    assertThat(tenThousand.number()).isEqualTo("TICKET-" + year() + "-10000");
    assertThat(tickets.byNumber("TICKET-" + year() + "-1000")).get().extracting(Ticket::title).isEqualTo("one thousand");
    assertThat(tickets.byNumber("TICKET-" + year() + "-10000")).get().extracting(Ticket::id).isEqualTo(tenThousand.id());
  }

  @Test
  void theYearIsTheOrganizationsAndTheCounterRestartsWithIt() {
    MutableClock clock = t.clock;
    Instant before = clock.instant();
    try {
      ProvisionedOrganization riyadh = t.provision("professional", ZoneId.of("Asia/Riyadh"));
      ProvisionedOrganization utc = t.provision("professional", ZoneId.of("UTC"));
      clock.set(Instant.parse("2026-12-31T20:59:00Z")); // 23:59 in Riyadh
      assertThat(t.tickets(riyadh).open(TicketDraft.builder("last of 2026").build()).number())
          .isEqualTo("TICKET-2026-0001");
      assertThat(t.tickets(riyadh).open(TicketDraft.builder("also 2026").build()).number())
          .isEqualTo("TICKET-2026-0002");
      clock.set(Instant.parse("2026-12-31T21:01:00Z")); // 00:01 on 1 January in Riyadh, still 2026 in UTC
      assertThat(t.tickets(riyadh).open(TicketDraft.builder("first of 2027").build()).number())
          .isEqualTo("TICKET-2027-0001");
      assertThat(t.tickets(utc).open(TicketDraft.builder("still 2026 in UTC").build()).number())
          .isEqualTo("TICKET-2026-0001");
    } finally {
      clock.set(before);
    }
  }

  @Test
  void aFormatWithoutTheYearNeverRestartsAndABadFormatIsRefusedNamingTheField() {
    MutableClock clock = t.clock;
    Instant before = clock.instant();
    try {
      ProvisionedOrganization org = t.provision();
      TicketService tickets = t.tickets(org);
      assertThatThrownBy(() -> tickets.updateSettings(tickets.settings().withNumberFormat("SUP-{YYYY}")))
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("numberFormat"));
      assertThatThrownBy(() -> tickets.updateSettings(tickets.settings().withNumberFormat("{NNN}-{NNN}")))
          .isInstanceOf(ValidationException.class);
      assertThatThrownBy(() -> tickets.updateSettings(tickets.settings().withNumberFormat("SUP {NNN}")))
          .isInstanceOf(ValidationException.class);
      assertThat(tickets.settings().numberFormat()).as("nothing changed").isEqualTo("TICKET-{YYYY}-{NNNN}");

      tickets.updateSettings(tickets.settings().withNumberFormat("SUP-{NNNNNN}"));
      clock.set(Instant.parse("2026-12-31T20:00:00Z"));
      assertThat(tickets.open(TicketDraft.builder("a").build()).number()).isEqualTo("SUP-000001");
      clock.set(Instant.parse("2027-01-02T10:00:00Z"));
      assertThat(tickets.open(TicketDraft.builder("b").build()).number()).as("no year, no restart")
          .isEqualTo("SUP-000002");
      tickets.updateSettings(tickets.settings().withNumberFormat("HD{YY}/{N}"));
      assertThat(tickets.open(TicketDraft.builder("c").build()).number()).isEqualTo("HD27/1");
    } finally {
      clock.set(before);
    }
  }

  @Test
  void aFormatThatWritesANumberAnEarlierFormatWroteIsAClearConflictUntilChanged() throws Exception {
    MutableClock clock = t.clock;
    Instant before = clock.instant();
    try {
      clock.set(Instant.parse("2026-05-05T10:00:00Z"));
      ProvisionedOrganization org = t.provision();
      TicketService tickets = t.tickets(org);
      tickets.updateSettings(tickets.settings().withNumberFormat("A-{NNNN}"));
      t.admin("insert into crm.ticket_counters (organization_id, period, last_number) values (?, '-', 2600)",
          org.organization().id());
      assertThat(tickets.open(TicketDraft.builder("under the first format").build()).number()).isEqualTo("A-2601");
      tickets.updateSettings(tickets.settings().withNumberFormat("A-{YY}{NN}"));
      assertThatThrownBy(() -> tickets.open(TicketDraft.builder("collides").build()))
          .isInstanceOf(io.crmkit.core.exception.ConflictException.class).hasMessageContaining("A-{YY}{NN}")
          .hasMessageContaining("prefix");
      tickets.updateSettings(tickets.settings().withNumberFormat("B-{YY}{NN}"));
      assertThat(tickets.open(TicketDraft.builder("after the fix").build()).number())
          .as("the refused open took no number").isEqualTo("B-2601");
    } finally {
      clock.set(before);
    }
  }

  @Test
  void anOpenWaitsForTheCounterAnotherTransactionHoldsAndThenTakesTheNextNumber() throws Exception {
    ProvisionedOrganization org = t.provision();
    UUID id = org.organization().id();
    TenantScope admin = t.admin(org);
    t.tickets(org).open(TicketDraft.builder("first").build());
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection holder = t.tenant(id); Connection host = t.db.runtimeDataSource().getConnection()) {
      TestTicketing.rows(holder, "select last_number from crm.ticket_counters where organization_id = ? for update", id);
      host.setAutoCommit(false);
      Future<Ticket> joined = pool.submit(() -> admin.joining(host, action -> { }).service(TicketService.class)
          .open(TicketDraft.builder("in the host's transaction").build()));
      Thread.sleep(300);
      assertThat(joined).as("it waits for the counter").isNotDone();
      holder.rollback();
      assertThat(joined.get(30, TimeUnit.SECONDS).number()).endsWith("-0002");
      host.commit();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aTicketRolledBackGivesItsNumberBack() throws Exception {
    ProvisionedOrganization org = t.provision();
    TenantScope admin = t.admin(org);
    t.tickets(org).open(TicketDraft.builder("kept").build());
    try (Connection c = t.db.runtimeDataSource().getConnection()) {
      c.setAutoCommit(false);
      Ticket lost = admin.joining(c, action -> { }).service(TicketService.class).open(TicketDraft.builder("rolled back").build());
      assertThat(lost.number()).endsWith("-0002");
      c.rollback();
    }
    assertThat(t.tickets(org).open(TicketDraft.builder("next").build()).number()).as("no gap").endsWith("-0002");
  }

  @Test
  void theMonthlyLimitHoldsInTheOrganizationsMonthAndAFailedOpenTakesNoNumber() {
    MutableClock clock = t.clock;
    Instant before = clock.instant();
    try {
      ProvisionedOrganization org = t.provision();
      t.crm.platform().setCustomLimit(org.organization().id(), Limit.TICKETS_PER_MONTH, OptionalLong.of(2));
      TicketService tickets = t.tickets(org);
      clock.set(Instant.parse("2026-03-31T20:30:00Z")); // 23:30 on 31 March in Riyadh
      tickets.open(TicketDraft.builder("one").build());
      tickets.open(TicketDraft.builder("two").build());
      assertThatThrownBy(() -> tickets.open(TicketDraft.builder("three").build()))
          .isInstanceOfSatisfying(LimitExceededException.class,
              e -> assertThat(e.limit()).isEqualTo(Limit.TICKETS_PER_MONTH));
      clock.set(Instant.parse("2026-03-31T21:30:00Z")); // 00:30 on 1 April in Riyadh
      assertThat(tickets.open(TicketDraft.builder("April").build()).number()).as("the refused one took no number")
          .endsWith("-0003");
    } finally {
      clock.set(before);
    }
  }

  @Test
  void anOpenCommitsWithItsNumberingStatementAndOnlyTheFirstOfAPeriodTakesTheLongWay() throws Exception {
    AtomicInteger commits = new AtomicInteger();
    DataSource counting = Jdbc.counting(t.db.runtimeDataSource(), "commit"::equals, commits);
    try (Crm crm = Crm.builder().dataSource(counting).clock(t.clock).build()) {
      ProvisionedOrganization org = t.provision();
      TicketService tickets = crm.tenant(org.organization().id()).as(org.admin().id())
          .service(TicketService.class);
      assertThat(tickets.open(TicketDraft.builder("first of the year").build()).number()).endsWith("-0001");
      assertThat(commits).as("the first of the period creates the counter row, then commits").hasValue(1);
      assertThat(tickets.open(TicketDraft.builder("second").build()).number()).endsWith("-0002");
      assertThat(tickets.open(TicketDraft.builder("third").build()).number()).endsWith("-0003");
      assertThat(commits).as("the COMMIT went with the numbering statement, not as a call of its own").hasValue(1);
      assertThat(t.tickets(org).list(TicketQuery.all(), 10, Optional.empty()).items()).as("all committed")
          .extracting(ticket -> ticket.number().substring(ticket.number().length() - 4))
          .containsExactlyInAnyOrder("0001", "0002", "0003");
    }
  }

  @Test
  void aRefusedOpenCommitsNothingNotEvenTheCustomersActivity() {
    ProvisionedOrganization org = t.provision();
    t.crm.platform().setCustomLimit(org.organization().id(), Limit.TICKETS_PER_MONTH, OptionalLong.of(2));
    UUID customer = t.admin(org).customers().create(CustomerDraft.builder().fullName("Timeline").build()).id();
    TicketService tickets = t.tickets(org);
    tickets.open(TicketDraft.builder("first of the period").customer(customer).build());
    assertThat(timeline(org, customer)).as("the first of a period is tried inline, rolled back, then opened")
        .containsExactly("ticket_opened");
    tickets.open(TicketDraft.builder("second").customer(customer).build());
    assertThatThrownBy(() -> tickets.open(TicketDraft.builder("third").customer(customer).build()))
        .isInstanceOf(LimitExceededException.class);
    assertThat(timeline(org, customer)).containsExactly("ticket_opened", "ticket_opened");
    assertThat(tickets.list(TicketQuery.all(), 10, Optional.empty()).items()).hasSize(2);
  }

  @Test
  void anOpenInAHostsTransactionCommitsOrRollsBackWithIt() {
    ProvisionedOrganization org = t.provision();
    TenantScope admin = t.admin(org);
    t.tickets(org).open(TicketDraft.builder("kept").build());
    assertThatThrownBy(() -> admin.inTransaction(scope -> {
      Ticket opened = scope.service(TicketService.class).open(TicketDraft.builder("in a callback").build());
      assertThat(opened.number()).endsWith("-0002");
      throw new IllegalStateException("the host changes its mind");
    })).hasMessage("the host changes its mind");
    assertThat(t.tickets(org).open(TicketDraft.builder("next").build()).number()).as("no gap").endsWith("-0002");
  }

  @Test
  void anOpenWhoseOutcomeWasUnknownCanBeRepeatedWithItsIdAndTakesNoSecondNumber() {
    ProvisionedOrganization org = t.provision();
    ProvisionedOrganization other = t.provision();
    UUID id = UUID.randomUUID();
    TicketDraft draft = TicketDraft.builder("sent twice").id(id).build();
    Ticket first = t.tickets(org).open(draft);
    assertThat(first.id()).isEqualTo(id);
    assertThat(first.number()).endsWith("-0001");
    assertThatThrownBy(() -> t.tickets(org).open(draft)).isInstanceOf(ConflictException.class)
        .hasMessageContaining(id.toString());
    assertThat(t.tickets(org).open(TicketDraft.builder("next").build()).number()).as("no number taken")
        .endsWith("-0002");
    assertThat(t.tickets(other).open(draft).number()).as("ids are per organization: nothing of it shows")
        .endsWith("-0001");
  }

  private static List<String> timeline(ProvisionedOrganization org, UUID customer) {
    return t.admin(org).customers().timeline(customer, 20, Optional.empty()).items().stream().map(Activity::type)
        .filter(type -> type.startsWith("ticket")).toList();
  }
}
