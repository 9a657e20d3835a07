package io.crmkit.ticketing;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.core.TenantScope;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SLA clocks in wall-clock time, on a clock the test moves. */
class TicketSlaTest {
  private static final Instant T0 = Instant.parse("2026-06-01T08:00:00Z");
  private static TestTicketing t;
  private ProvisionedOrganization org;
  private TicketService tickets;

  @BeforeAll
  static void start() {
    t = TestTicketing.start();
  }

  @AfterAll
  static void stop() {
    t.close();
  }

  @BeforeEach
  void organization() {
    t.clock.set(T0);
    org = t.provision();
    tickets = t.tickets(org);
  }

  private static Instant at(Duration sinceStart) {
    return T0.plus(sinceStart);
  }

  @Test
  void dueTimesComeFromThePrioritysTargetsAndAPriorityChangeRecomputesThem() {
    Ticket ticket = tickets.open(TicketDraft.builder("slow").priority(TicketPriority.LOW).build());
    assertThat(ticket.sla().firstResponseDueAt()).contains(at(Duration.ofHours(24)));
    assertThat(ticket.sla().resolutionDueAt()).contains(at(Duration.ofDays(7)));

    t.clock.set(at(Duration.ofMinutes(10)));
    Ticket urgent = tickets.update(ticket.id(), ticket.version(), TicketUpdate.builder()
        .priority(TicketPriority.URGENT).build());
    assertThat(urgent.sla().firstResponseDueAt()).as("from when the ticket was opened")
        .contains(at(Duration.ofMinutes(30)));
    assertThat(urgent.sla().resolutionDueAt()).contains(at(Duration.ofHours(4)));

    tickets.updateSettings(tickets.settings().withSla(TicketPriority.HIGH,
        SlaTarget.of(Duration.ofMinutes(15), Duration.ofHours(1))));
    Ticket high = tickets.open(TicketDraft.builder("custom targets").priority(TicketPriority.HIGH).build());
    assertThat(high.sla().firstResponseDueAt()).contains(at(Duration.ofMinutes(25)));
    tickets.updateSettings(tickets.settings().withSla(TicketPriority.HIGH, SlaTarget.none()));
    assertThat(tickets.open(TicketDraft.builder("no target").priority(TicketPriority.HIGH).build()).sla()
        .firstResponseDueAt()).isEmpty();
  }

  @Test
  void aPublicReplyStopsTheFirstResponseClockAndAnInternalNoteDoesNot() {
    User agent = t.member(org, Role.AGENT);
    TenantScope asAgent = t.crm.tenant(org.organization().id()).as(agent.id());
    Ticket ticket = tickets.open(TicketDraft.builder("waiting for us").priority(TicketPriority.URGENT).build());
    t.clock.set(at(Duration.ofMinutes(5)));
    asAgent.service(TicketService.class).comment(ticket.id(), CommentDraft.internalNote("looking"));
    assertThat(tickets.get(ticket.id()).orElseThrow().sla().firstRespondedAt()).isEmpty();
    t.clock.set(at(Duration.ofMinutes(20)));
    asAgent.service(TicketService.class).comment(ticket.id(), CommentDraft.publicReply("Hello, we are on it"));
    t.clock.set(at(Duration.ofMinutes(25)));
    asAgent.service(TicketService.class).comment(ticket.id(), CommentDraft.publicReply("Update"));
    assertThat(tickets.get(ticket.id()).orElseThrow().sla().firstRespondedAt()).as("the first one counts")
        .contains(at(Duration.ofMinutes(20)));

    t.clock.set(at(Duration.ofHours(1)));
    assertThat(tickets.slaDue(Duration.ZERO, 10)).as("answered in time; resolution not due yet").isEmpty();
  }

  @Test
  void waitingPausesTheResolutionClockAndReopeningRestartsIt() {
    Ticket ticket = tickets.open(TicketDraft.builder("needs the customer").priority(TicketPriority.URGENT).build());
    assertThat(ticket.sla().resolutionDueAt()).contains(at(Duration.ofHours(4)));
    t.clock.set(at(Duration.ofHours(1)));
    Ticket waiting = tickets.changeStatus(ticket.id(), ticket.version(), TicketStatus.WAITING);
    assertThat(waiting.sla().resolutionPausedSince()).contains(at(Duration.ofHours(1)));

    t.clock.set(at(Duration.ofHours(6)));
    assertThat(tickets.slaDue(Duration.ZERO, 10)).extracting(Ticket::id).as("only the first response is overdue")
        .containsExactly(ticket.id());
    Ticket back = tickets.changeStatus(waiting.id(), waiting.version(), TicketStatus.IN_PROGRESS);
    assertThat(back.sla().resolutionPausedSince()).isEmpty();
    assertThat(back.sla().pausedTime()).isEqualTo(Duration.ofHours(5));
    assertThat(back.sla().resolutionDueAt()).as("four hours of work, five paused")
        .contains(at(Duration.ofHours(9)));

    // Waiting twice: the pauses add up.
    t.clock.set(at(Duration.ofHours(7)));
    Ticket again = tickets.changeStatus(back.id(), back.version(), TicketStatus.WAITING);
    t.clock.set(at(Duration.ofHours(8)));
    again = tickets.changeStatus(again.id(), again.version(), TicketStatus.IN_PROGRESS);
    assertThat(again.sla().pausedTime()).isEqualTo(Duration.ofHours(6));
    assertThat(again.sla().resolutionDueAt()).contains(at(Duration.ofHours(10)));

    t.clock.set(at(Duration.ofHours(9)));
    Ticket resolved = tickets.changeStatus(again.id(), again.version(), TicketStatus.RESOLVED);
    t.clock.set(at(Duration.ofHours(30)));
    Ticket reopened = tickets.changeStatus(resolved.id(), resolved.version(), TicketStatus.OPEN);
    assertThat(reopened.sla().resolutionDueAt()).as("a full target again, from the reopening")
        .contains(at(Duration.ofHours(34)));
    assertThat(reopened.sla().pausedTime()).isZero();
  }

  @Test
  void aPriorityChangeWhileWaitingCountsThePausesAndAPausedTicketIsNeverDue() {
    Ticket ticket = tickets.open(TicketDraft.builder("paused").priority(TicketPriority.LOW).build());
    tickets.comment(ticket.id(), CommentDraft.publicReply("answered at once"));
    t.clock.set(at(Duration.ofHours(1)));
    Ticket waiting = tickets.changeStatus(ticket.id(), ticket.version(), TicketStatus.WAITING);
    t.clock.set(at(Duration.ofHours(3)));
    Ticket urgent = tickets.update(waiting.id(), waiting.version(), TicketUpdate.builder()
        .priority(TicketPriority.URGENT).build());
    assertThat(urgent.sla().resolutionDueAt()).as("the new target from the start; the running pause not yet counted")
        .contains(at(Duration.ofHours(4)));
    t.clock.set(at(Duration.ofHours(10)));
    assertThat(tickets.slaDue(Duration.ZERO, 10)).as("paused and answered: not due, though past its due time")
        .isEmpty();
    Ticket resumed = tickets.changeStatus(urgent.id(), urgent.version(), TicketStatus.IN_PROGRESS);
    assertThat(resumed.sla().pausedTime()).isEqualTo(Duration.ofHours(9));
    assertThat(resumed.sla().resolutionDueAt()).as("4 h of target after 9 h paused").contains(at(Duration.ofHours(13)));
    assertThat(tickets.slaDue(Duration.ZERO, 10)).isEmpty();
    assertThat(tickets.slaDue(Duration.ofHours(3), 10)).extracting(Ticket::id).containsExactly(ticket.id());
  }

  @Test
  void theDueListShowsWhatBreachedOrWillWithinTheWindowMostUrgentFirst() {
    Ticket urgent = tickets.open(TicketDraft.builder("urgent").priority(TicketPriority.URGENT).build()); // 30 min
    Ticket high = tickets.open(TicketDraft.builder("high").priority(TicketPriority.HIGH).build()); // 2 h
    Ticket low = tickets.open(TicketDraft.builder("low").priority(TicketPriority.LOW).build()); // 24 h
    Ticket waiting = tickets.open(TicketDraft.builder("paused").priority(TicketPriority.URGENT).build());
    tickets.comment(waiting.id(), CommentDraft.publicReply("answered"));
    tickets.changeStatus(waiting.id(), waiting.version(), TicketStatus.WAITING);

    t.clock.set(at(Duration.ofMinutes(45)));
    assertThat(tickets.slaDue(Duration.ZERO, 10)).extracting(Ticket::id).as("breached now").containsExactly(urgent.id());
    assertThat(tickets.slaDue(Duration.ofMinutes(90), 10)).extracting(Ticket::id).as("or within 90 minutes")
        .containsExactly(urgent.id(), high.id());
    assertThat(tickets.slaDue(Duration.ofDays(2), 10)).extracting(Ticket::id)
        .as("a paused, answered ticket is not due").containsExactly(urgent.id(), high.id(), low.id());
    assertThat(tickets.slaDue(Duration.ofDays(2), 1)).hasSize(1);

    ProvisionedOrganization other = t.provision();
    assertThat(t.tickets(other).slaDue(Duration.ofDays(30), 10)).as("never another tenant's").isEmpty();
    List<Ticket> none = tickets.slaDue(Duration.ofDays(2), 10).stream()
        .filter(x -> x.status().done()).toList();
    assertThat(none).isEmpty();
  }
}
