package io.crmkit.ticketing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.Change;
import io.crmkit.core.customers.Activity;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TicketUpdate in the one shape of partial updates: keep, set, clear. */
class TicketUpdateTest {
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
  void theBuilderKeepsWhatItIsNotToldSetsAndClears() {
    UUID agent = UUID.randomUUID();
    TicketUpdate update = TicketUpdate.builder().title("New title").clearDescription().assignee(agent).build();
    assertThat(update.title()).isEqualTo(Change.to("New title"));
    assertThat(update.description()).isEqualTo(Change.clear());
    assertThat(update.assignee()).isEqualTo(Change.to(agent));
    assertThat(update.type()).isEqualTo(Change.keep());
    assertThat(update.priority()).isEqualTo(Change.keep());
    assertThat(update.tags()).isEqualTo(Change.keep());
    assertThat(update.customFields()).isEqualTo(Change.keep());
    assertThat(TicketUpdate.builder().clearAssignee().build().assignee()).isEqualTo(Change.clear());
    assertThat(TicketUpdate.builder().build().isEmpty()).isTrue();
    assertThat(TicketUpdate.builder().clearDescription().build().isEmpty()).as("a clear changes").isFalse();
  }

  @Test
  void aClearedTitleTypeOrPriorityIsRefused() {
    assertThatThrownBy(() -> new TicketUpdate(Change.clear(), Change.keep(), Change.keep(), Change.keep(),
        Change.keep(), Change.keep(), Change.keep())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("title cannot be cleared");
    assertThatThrownBy(() -> new TicketUpdate(Change.keep(), Change.keep(), Change.clear(), Change.keep(),
        Change.keep(), Change.keep(), Change.keep())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("type cannot be cleared");
    assertThatThrownBy(() -> new TicketUpdate(Change.keep(), Change.keep(), Change.keep(), Change.clear(),
        Change.keep(), Change.keep(), Change.keep())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("priority cannot be cleared");
  }

  @Test
  void clearingTheDescriptionAndTheAssigneeEmptiesThemAndKeepsTheRest() {
    User agent = t.member(org, Role.AGENT);
    UUID customer = t.admin(org).customers().create(CustomerDraft.builder().fullName("Hala").build()).id();
    Ticket ticket = tickets.open(TicketDraft.builder("Keep me").description("to be cleared").customer(customer)
        .assignee(agent.id()).tags(List.of("kept")).customFields(Map.of("order", "A-7")).build());
    Ticket cleared = tickets.update(ticket.id(), ticket.version(), TicketUpdate.builder().clearDescription()
        .clearAssignee().build());
    assertThat(cleared.description()).isEmpty();
    assertThat(cleared.assignedTo()).isEmpty();
    assertThat(cleared.title()).isEqualTo("Keep me");
    assertThat(cleared.tags()).containsExactly("kept");
    assertThat(cleared.customFields()).containsEntry("order", "A-7");
    assertThat(cleared.version()).isEqualTo(ticket.version() + 1);
    Activity updated = t.admin(org).customers().timeline(customer, 1, Optional.empty()).items().get(0);
    assertThat(updated.type()).isEqualTo("ticket_updated");
    assertThat(updated.metadata()).containsEntry("description", "cleared").containsEntry("assigned_to", "");

    Ticket described = tickets.update(cleared.id(), cleared.version(), TicketUpdate.builder().description("again")
        .build());
    assertThat(described.description()).contains("again");
    assertThat(tickets.update(described.id(), described.version(), TicketUpdate.builder().description("   ").build())
        .description()).as("a blank description clears it, as on open").isEmpty();
    Ticket same = tickets.get(ticket.id()).orElseThrow();
    assertThat(tickets.update(same.id(), same.version(), TicketUpdate.builder().clearDescription().clearAssignee()
        .build())).as("clearing what is empty changes nothing").isEqualTo(same);
  }
}
