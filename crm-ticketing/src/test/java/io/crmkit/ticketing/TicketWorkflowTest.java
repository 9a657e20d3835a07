package io.crmkit.ticketing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.customers.Activity;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.exception.ForbiddenException;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The status workflow, its stamps, forcing, optimistic concurrency, roles and the customer timeline. */
class TicketWorkflowTest {
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

  /** A fresh ticket brought to {@code status} (by force where the workflow would not go). */
  private static Ticket at(TicketStatus status) {
    Ticket ticket = tickets.open(TicketDraft.builder("at " + status).build());
    return status == TicketStatus.OPEN ? ticket : tickets.forceStatus(ticket.id(), ticket.version(), status);
  }

  @Test
  void everyAllowedMoveIsMadeAndEveryOtherIsRefusedChangingNothing() {
    List<String> allowed = new ArrayList<>();
    for (TicketStatus from : TicketStatus.values()) {
      for (TicketStatus to : TicketStatus.values()) {
        if (from == to) {
          continue;
        }
        Ticket ticket = at(from);
        if (from.next().contains(to)) {
          Ticket moved = tickets.changeStatus(ticket.id(), ticket.version(), to);
          assertThat(moved.status()).isEqualTo(to);
          assertThat(moved.version()).isEqualTo(ticket.version() + 1);
          allowed.add(from.databaseName() + "→" + to.databaseName());
        } else {
          assertThatThrownBy(() -> tickets.changeStatus(ticket.id(), ticket.version(), to))
              .as("%s → %s", from, to).isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                assertThat(e.from()).isEqualTo(from);
                assertThat(e.to()).isEqualTo(to);
              });
          assertThat(tickets.get(ticket.id())).get().as("nothing changed").isEqualTo(ticket);
        }
      }
    }
    assertThat(allowed).containsExactlyInAnyOrder("open→in_progress", "open→waiting", "open→resolved",
        "in_progress→open", "in_progress→waiting", "in_progress→resolved", "waiting→in_progress",
        "waiting→resolved", "resolved→closed", "resolved→open", "closed→open");
  }

  @Test
  void resolvedAndClosedAreStampedAndClearedOnReopen() {
    t.clock.set(t.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)); // PostgreSQL keeps microseconds
    Ticket ticket = tickets.open(TicketDraft.builder("stamps").build());
    t.clock.advance(java.time.Duration.ofMinutes(5));
    Ticket resolved = tickets.changeStatus(ticket.id(), ticket.version(), TicketStatus.RESOLVED);
    assertThat(resolved.resolvedAt()).contains(t.clock.instant());
    assertThat(resolved.closedAt()).isEmpty();
    t.clock.advance(java.time.Duration.ofMinutes(5));
    Ticket closed = tickets.changeStatus(resolved.id(), resolved.version(), TicketStatus.CLOSED);
    assertThat(closed.closedAt()).contains(t.clock.instant());
    assertThat(closed.resolvedAt()).as("kept").isEqualTo(resolved.resolvedAt());
    Ticket reopened = tickets.changeStatus(closed.id(), closed.version(), TicketStatus.OPEN);
    assertThat(reopened.resolvedAt()).isEmpty();
    assertThat(reopened.closedAt()).isEmpty();
  }

  @Test
  void onlyAnAdminForcesAndAForcedCloseResolvesToo() {
    User agent = t.member(org, Role.AGENT);
    TicketService asAgent = t.crm.tenant(org.organization().id()).as(agent.id()).service(TicketService.class);
    Ticket ticket = asAgent.open(TicketDraft.builder("close me").build());
    assertThatThrownBy(() -> asAgent.changeStatus(ticket.id(), ticket.version(), TicketStatus.CLOSED))
        .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("an admin may force");
    assertThatThrownBy(() -> asAgent.forceStatus(ticket.id(), ticket.version(), TicketStatus.CLOSED))
        .isInstanceOf(ForbiddenException.class);
    Ticket closed = tickets.forceStatus(ticket.id(), ticket.version(), TicketStatus.CLOSED);
    assertThat(closed.status()).isEqualTo(TicketStatus.CLOSED);
    assertThat(closed.resolvedAt()).isPresent();
    assertThat(closed.closedAt()).isPresent();
  }

  @Test
  void twoAgentsChangingOneTicketCannotOverwriteEachOther() throws Exception {
    Ticket ticket = tickets.open(TicketDraft.builder("contested").build());
    assertThat(tickets.update(ticket.id(), ticket.version(), TicketUpdate.builder().priority(TicketPriority.HIGH)
        .build()).version()).isEqualTo(ticket.version() + 1);
    assertThatThrownBy(() -> tickets.update(ticket.id(), ticket.version(), TicketUpdate.builder()
        .title("from a stale read").build())).isInstanceOfSatisfying(StaleTicketException.class, e -> {
          assertThat(e.expectedVersion()).isEqualTo(ticket.version());
          assertThat(e.currentVersion()).isEqualTo(ticket.version() + 1);
        });
    assertThat(tickets.get(ticket.id())).get().extracting(Ticket::title).isEqualTo("contested");

    // At the same moment, from the same version: exactly one wins.
    Ticket current = tickets.get(ticket.id()).orElseThrow();
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (String title : List.of("first agent", "second agent")) {
        results.add(pool.submit(() -> {
          start.await();
          try {
            return tickets.update(current.id(), current.version(), TicketUpdate.builder().title(title).build()).title();
          } catch (StaleTicketException e) {
            return "stale";
          }
        }));
      }
      List<String> outcomes = new ArrayList<>();
      for (Future<String> result : results) {
        outcomes.add(result.get(30, TimeUnit.SECONDS));
      }
      assertThat(outcomes).containsOnlyOnce("stale");
      assertThat(tickets.get(ticket.id())).get().extracting(Ticket::title).isIn(outcomes);
    } finally {
      pool.shutdownNow();
    }
    assertThatThrownBy(() -> tickets.changeStatus(ticket.id(), 1, TicketStatus.RESOLVED))
        .isInstanceOf(StaleTicketException.class);
  }

  @Test
  void membersReadButDoNotWriteAndBadInputNamesTheField() {
    User member = t.member(org, Role.MEMBER);
    TicketService asMember = t.crm.tenant(org.organization().id()).as(member.id()).service(TicketService.class);
    Ticket ticket = tickets.open(TicketDraft.builder("readable").build());
    assertThat(asMember.get(ticket.id())).isPresent();
    assertThatThrownBy(() -> asMember.open(TicketDraft.builder("no").build())).isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> asMember.changeStatus(ticket.id(), ticket.version(), TicketStatus.IN_PROGRESS))
        .isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> tickets.open(TicketDraft.builder(" ").build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("title"));
    assertThatThrownBy(() -> tickets.open(TicketDraft.builder("x").tags(List.of("ok", " ")).build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("tags"));
    assertThat(tickets.open(TicketDraft.builder("x").assignee(member.id()).build()).assignedTo())
        .as("any active member may be assigned").contains(member.id());
    assertThatThrownBy(() -> tickets.open(TicketDraft.builder("x").assignee(UUID.randomUUID()).build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("assignee"));
    assertThatThrownBy(() -> tickets.open(TicketDraft.builder("x").customer(UUID.randomUUID()).build()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> tickets.open(TicketDraft.builder("x").conversation(UUID.randomUUID()).build()))
        .as("without crm-ticketing-whatsapp").isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("conversationId"));
    ProvisionedOrganization free = t.provision("free", java.time.ZoneId.of("UTC"));
    assertThatThrownBy(() -> t.tickets(free).open(TicketDraft.builder("x").build()))
        .as("the free plan has no ticketing").isInstanceOfSatisfying(
            io.crmkit.core.exception.FeatureNotInPlanException.class, e -> assertThat(e.planSlug()).isEqualTo("free"));
  }

  @Test
  void everyChangeOfATicketWithACustomerIsOnTheCustomersTimeline() {
    UUID customer = t.admin(org).customers().create(CustomerDraft.builder().fullName("Noura")
        .whatsappPhone("+966501230001").build()).id();
    Ticket ticket = tickets.open(TicketDraft.builder("Damaged parcel").customer(customer).build());
    ticket = tickets.update(ticket.id(), ticket.version(), TicketUpdate.builder().priority(TicketPriority.URGENT)
        .tags(List.of("delivery")).build());
    ticket = tickets.changeStatus(ticket.id(), ticket.version(), TicketStatus.IN_PROGRESS);
    tickets.comment(ticket.id(), CommentDraft.publicReply("We are on it"));
    tickets.comment(ticket.id(), CommentDraft.internalNote("Courier blamed, secret margin 12%"));
    List<Activity> timeline = t.admin(org).customers().timeline(customer, 20, Optional.empty()).items();
    assertThat(timeline).extracting(Activity::type).containsExactly("ticket_note", "ticket_reply",
        "ticket_status_changed", "ticket_updated", "ticket_opened", "customer_created");
    assertThat(timeline.get(0).description()).as("an internal note's text stays on the ticket")
        .hasValueSatisfying(d -> assertThat(d).doesNotContain("secret"));
    assertThat(timeline.get(3).metadata()).containsEntry("priority", "urgent").containsEntry("tags", "delivery");
  }

  @Test
  void updatesChangeOnlyWhatTheySayAndAnEmptyUpdateChangesNothing() {
    User agent = t.member(org, Role.AGENT);
    java.util.Map<String, Object> withNull = new java.util.HashMap<>();
    withNull.put("order", "A-1");
    withNull.put("coupon", null);
    // Custom fields follow the one rule of every module (Inputs.customFields): no nulls, which
    // would put null across the API. (crm-ticketing kept JSON nulls before it took that rule.)
    assertThatThrownBy(() -> tickets.open(TicketDraft.builder("partial").customFields(withNull).build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("customFields"));
    Ticket ticket = tickets.open(TicketDraft.builder("partial").description("first words").type(TicketType.BUG)
        .customFields(Map.of("order", "A-1")).build());
    assertThat(ticket.customFields()).containsExactlyEntriesOf(Map.of("order", "A-1"));
    Ticket same = tickets.update(ticket.id(), ticket.version(), TicketUpdate.builder().build());
    assertThat(same).isEqualTo(ticket);
    Ticket changed = tickets.update(ticket.id(), ticket.version(), TicketUpdate.builder().clearDescription()
        .assignee(agent.id()).customFields(Map.of("order", "A-2", "items", 3)).build());
    assertThat(changed.description()).isEmpty();
    assertThat(changed.assignedTo()).contains(agent.id());
    assertThat(changed.type()).isEqualTo(TicketType.BUG);
    assertThat(changed.title()).isEqualTo("partial");
    assertThat(changed.customFields()).containsEntry("order", "A-2").containsEntry("items", 3);
    assertThat(tickets.update(changed.id(), changed.version(), TicketUpdate.builder().clearAssignee().build()).assignedTo())
        .isEmpty();
  }
}
