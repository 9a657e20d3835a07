package io.crmkit.ticketing;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.core.Page;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lists by keyset with combined filters, dashboard counts, and the list path under attack. */
class TicketListTest {
  private static TestTicketing t;

  @BeforeAll
  static void setUp() {
    t = TestTicketing.start();
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private static List<String> titles(TicketService tickets, TicketQuery query) {
    List<String> titles = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<Ticket> page = tickets.list(query, 2, cursor);
      page.items().forEach(ticket -> titles.add(ticket.title()));
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    return titles;
  }

  @Test
  void filtersCombineAndPagesWalkNewestFirst() {
    ProvisionedOrganization org = t.provision();
    TicketService tickets = t.tickets(org);
    User agent = t.member(org, Role.AGENT);
    UUID customer = t.admin(org).customers().create(CustomerDraft.builder().fullName("عبدالله")
        .whatsappPhone("+966501230002").build()).id();
    List<String> opened = new ArrayList<>();
    String[][] rows = {
      {"Parcel damaged in transit", "urgent", "support", "agent", "customer", "delivery"},
      {"Invoice missing VAT", "low", "support", "", "customer", "billing"},
      {"طلب تسعير لمئة جهاز", "high", "sales_offer", "agent", "", ""},
      {"App crashes on login", "high", "bug", "", "", "mobile"},
      {"Second parcel damaged", "medium", "support", "agent", "", "delivery"},
    };
    for (String[] row : rows) {
      TicketDraft.Builder draft = TicketDraft.builder(row[0]).priority(TicketPriority.valueOf(row[1].toUpperCase()))
          .type(TicketType.valueOf(row[2].toUpperCase()));
      if (!row[3].isEmpty()) {
        draft.assignee(agent.id());
      }
      if (!row[4].isEmpty()) {
        draft.customer(customer);
      }
      if (!row[5].isEmpty()) {
        draft.tags(List.of(row[5]));
      }
      t.clock.advance(Duration.ofSeconds(1));
      opened.add(0, tickets.open(draft.build()).title());
    }
    Ticket crash = tickets.list(TicketQuery.builder().text("CRASH").build(), 10, Optional.empty()).items().get(0);
    tickets.changeStatus(crash.id(), crash.version(), TicketStatus.IN_PROGRESS);

    assertThat(titles(tickets, TicketQuery.all())).isEqualTo(opened);
    assertThat(titles(tickets, TicketQuery.builder().text("damaged").build()))
        .containsExactly("Second parcel damaged", "Parcel damaged in transit");
    assertThat(titles(tickets, TicketQuery.builder().text("تسعير").build())).containsExactly("طلب تسعير لمئة جهاز");
    assertThat(titles(tickets, TicketQuery.builder().tag("delivery").assignee(agent.id())
        .priorities(Set.of(TicketPriority.URGENT)).build())).containsExactly("Parcel damaged in transit");
    assertThat(titles(tickets, TicketQuery.builder().unassigned().customer(customer).build()))
        .containsExactly("Invoice missing VAT");
    assertThat(titles(tickets, TicketQuery.builder().types(Set.of(TicketType.BUG, TicketType.SALES_OFFER)).build()))
        .containsExactly("App crashes on login", "طلب تسعير لمئة جهاز");
    assertThat(titles(tickets, TicketQuery.builder().statuses(Set.of(TicketStatus.IN_PROGRESS)).build()))
        .containsExactly("App crashes on login");
    assertThat(titles(tickets, TicketQuery.builder().text("100%_").build())).as("LIKE characters are literal").isEmpty();

    TicketCounts counts = tickets.counts();
    assertThat(counts.byStatus()).containsEntry(TicketStatus.OPEN, 4L).containsEntry(TicketStatus.IN_PROGRESS, 1L)
        .containsEntry(TicketStatus.CLOSED, 0L);
    assertThat(counts.openByAssignee()).containsExactlyEntriesOf(java.util.Map.of(agent.id(), 3L));
    assertThat(counts.openUnassigned()).isEqualTo(2);
  }

  @Test
  void theTitleFilterOfTheRealFunctionIsATrigramIndexCondition() throws Exception {
    ProvisionedOrganization deep = t.provision();
    UUID org = deep.organization().id();
    t.admin("insert into crm.tickets (organization_id, number_period, number, ticket_number, title, tags)"
        + " select ?, '-', g, 'T-' || g, 'Ticket ' || g || case when g % 2000 = 0 then ' damaged parcel' else '' end,"
        + " case when g % 2500 = 0 then array['vip'] else array['t' || (g % 50)] end"
        + " from generate_series(1, 20000) g", org);
    t.admin("analyze crm.tickets");
    // The plan list_tickets really runs, as the runtime role, logged by auto_explain.
    try (Connection c = t.db.adminDataSource().getConnection(); java.sql.Statement s = c.createStatement()) {
      s.execute("load 'auto_explain'");
      s.execute("set auto_explain.log_min_duration = 0");
      s.execute("set auto_explain.log_nested_statements = on");
      s.execute("set client_min_messages = log");
      s.execute("set role crm_app");
      c.setAutoCommit(false);
      s.execute("select set_config('app.current_organization_id', '" + org + "', true)");
      List<String> found = new ArrayList<>();
      StringBuilder plans = new StringBuilder();
      for (String filter : List.of("null, 'parcel'", "'vip', null")) {
        s.clearWarnings();
        try (java.sql.ResultSet rs = s.executeQuery("select title from crm.list_tickets(null, null, null, null, false,"
            + " null, " + filter + ", null, null, 51)")) {
          while (rs.next()) {
            found.add(rs.getString(1));
          }
        }
        for (java.sql.SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
          plans.append(w.getMessage()).append('\n');
        }
      }
      c.rollback();
      s.execute("reset role");
      assertThat(found).as("10 by text, 8 by tag").hasSize(18);
      assertThat(plans.toString())
          .containsPattern("Bitmap Index Scan on tickets_title_trgm_idx[^\\n]*\\n\\s+Index Cond: \\(title_fold ~~ ")
          .containsPattern("Bitmap Index Scan on tickets_tags_idx[^\\n]*\\n\\s+Index Cond: \\(tags @> ")
          .doesNotContain("Seq Scan on tickets");
    }
    assertThat(titles(t.tickets(deep), TicketQuery.builder().text("PARCEL").build())).hasSize(10);
  }

  @Test
  void theListPathGivesNothingWithoutATenantAndNeverAnotherTenantsTickets() throws Exception {
    ProvisionedOrganization a = t.provision();
    ProvisionedOrganization b = t.provision();
    t.tickets(a).open(TicketDraft.builder("A's secret ticket").tags(List.of("vip")).build());
    assertThat(titles(t.tickets(b), TicketQuery.builder().text("secret").build())).isEmpty();
    assertThat(titles(t.tickets(b), TicketQuery.builder().tag("vip").build())).isEmpty();
    assertThat(t.tickets(b).counts().byStatus().get(TicketStatus.OPEN)).isZero();
    String call = "select count(*) from crm.list_tickets(null, null, null, null, false, null, null, 'secret', null,"
        + " null, 10)";
    try (Connection c = t.tenant(null)) {
      assertThat(TestTicketing.rows(c, call)).as("no tenant, no rows").containsExactly("0");
    }
    try (Connection c = t.tenant(b.organization().id())) {
      assertThat(TestTicketing.rows(c, call)).containsExactly("0");
    }
    try (Connection c = t.tenant(a.organization().id())) {
      assertThat(TestTicketing.rows(c, call)).containsExactly("1");
    }
  }
}
