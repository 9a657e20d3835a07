package io.crmkit.ticketing;

import static io.crmkit.ticketing.TestTicketing.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.ModuleMigrations;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.testdb.TenancyCatalog;
import io.crmkit.testdb.TestPostgres;
import java.sql.Connection;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/** crm-ticketing's schema under the foundation's rules, migrated and used without crm-whatsapp. */
class TicketingSchemaTest {
  private static final String TABLES = "('ticket_comments', 'ticket_counters', 'ticket_sla_targets', 'ticketing_settings',"
      + " 'tickets')";
  private static TestTicketing t;

  @BeforeAll
  static void setUp() {
    t = TestTicketing.start();
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  @Test
  void aHostWithoutCrmWhatsappMigratesAndUsesTickets() throws Exception {
    assertThat(t.crm.migrations()).extracting(ModuleMigrations::module).containsExactly("core", "ticketing");
    assertThat(t.admin("select version from crm.flyway_history_ticketing order by installed_rank"))
        .containsExactly("0", "1", "2", "3", "4");
    assertThat(t.admin("select to_regclass('crm.conversations') is null")).containsExactly("t");
    ProvisionedOrganization org = t.provision();
    assertThat(t.tickets(org).open(TicketDraft.builder("works alone").build()).conversationId()).isEmpty();
  }

  @Test
  void noRuntimeRoleGrantLetsATenantRowsOrganizationIdBeUpdated() throws Exception {
    try (Connection c = t.db.adminDataSource().getConnection()) {
      assertThat(TenancyCatalog.tablesWhoseTenantRoleMayUpdate(c, "crm", TestPostgres.RUNTIME_ROLE)).isEmpty();
    }
  }

  @Test
  void everyTenantTableHasRlsTheOnePolicyAndTheTenantInEveryKey() throws Exception {
    assertThat(t.admin("select c.relname from pg_class c where c.relnamespace = 'crm'::regnamespace and c.relkind = 'r'"
        + " and c.relname in " + TABLES + " and c.relrowsecurity order by 1")).containsExactly("ticket_comments",
            "ticket_counters", "ticket_sla_targets", "ticketing_settings", "tickets");
    assertThat(t.admin("select tablename || ' ' || qual || ' ' || with_check from pg_policies where schemaname = 'crm'"
        + " and tablename in " + TABLES)).hasSize(5).allSatisfy(p -> assertThat(p).endsWith(
            "(organization_id = ( SELECT crm.current_organization_id() AS current_organization_id))"
            + " (organization_id = ( SELECT crm.current_organization_id() AS current_organization_id))"));
    assertThat(t.admin("select i.indexrelid::regclass::text from pg_index i join pg_class c on c.oid = i.indrelid"
        + " where c.relnamespace = 'crm'::regnamespace and (i.indisunique or i.indisprimary) and c.relname in " + TABLES
        + " and not exists (select 1 from unnest(i.indkey) k join pg_attribute a on a.attrelid = c.oid and a.attnum = k"
        + " where a.attname = 'organization_id')")).as("unique keys without the tenant").isEmpty();
    assertThat(t.admin("select conrelid::regclass::text || ' ' || conname from pg_constraint where contype = 'f'"
        + " and connamespace = 'crm'::regnamespace and conrelid::regclass::text in ('crm.tickets', 'crm.ticket_comments',"
        + " 'crm.ticket_sla_targets', 'crm.ticket_counters', 'crm.ticketing_settings')"
        + " and confrelid <> 'crm.organizations'::regclass and not (select bool_or(a.attname = 'organization_id')"
        + " from unnest(conkey) k join pg_attribute a on a.attrelid = conrelid and a.attnum = k)"))
        .as("foreign keys between tenant tables that do not carry the tenant").isEmpty();
    assertThat(t.admin("select p.proname || ' ' || pg_get_userbyid(p.proowner) || ' '"
        + " || array_to_string(p.proconfig, ',') || ' ' || has_function_privilege('public', p.oid, 'EXECUTE')"
        + " from pg_proc p where p.pronamespace = 'crm'::regnamespace and p.prosecdef and p.proname like '%ticket%'"))
        .singleElement().asString().matches("list_tickets crm_owner search_path=crm, .*pg_temp false");
  }

  @Test
  void withoutATenantNothingIsSeenOrWrittenAndNeverAnotherTenantsRows() throws Exception {
    ProvisionedOrganization a = t.provision();
    ProvisionedOrganization b = t.provision();
    Ticket ticket = t.tickets(a).open(TicketDraft.builder("A's").build());
    t.tickets(a).comment(ticket.id(), CommentDraft.internalNote("A's note"));
    try (Connection c = t.tenant(null)) {
      for (String table : List.of("tickets", "ticket_comments", "ticket_counters")) {
        assertThat(rows(c, "select count(*) from crm." + table)).as(table).containsExactly("0");
      }
      assertThatThrownBy(() -> rows(c, "insert into crm.tickets (organization_id, number_period, number, ticket_number,"
          + " title) values (?, '-', 99, 'X-99', 'forged') returning id", a.organization().id()))
          .isInstanceOf(PSQLException.class).extracting(e -> ((PSQLException) e).getSQLState()).isEqualTo("42501");
    }
    try (Connection c = t.tenant(b.organization().id())) {
      assertThat(rows(c, "select count(*) from crm.ticket_comments")).containsExactly("0");
      assertThat(rows(c, "update crm.tickets set title = 'taken' where id = ? returning id", ticket.id())).isEmpty();
      assertThat(t.tickets(b).get(ticket.id())).isEmpty();
      assertThatThrownBy(() -> rows(c, "insert into crm.ticket_comments (organization_id, ticket_id, body, is_internal)"
          + " values (?, ?, 'into A', false) returning id", b.organization().id(), ticket.id()))
          .as("B's row cannot point at A's ticket").isInstanceOf(PSQLException.class)
          .extracting(e -> ((PSQLException) e).getSQLState()).isEqualTo("23503");
    }
    assertThat(t.admin("select title from crm.tickets where id = ?", ticket.id())).containsExactly("A's");
  }

  @Test
  void everyTypePriorityAndStatusIsStoredAsTheLowercaseWordTheSchemaTakes() throws Exception {
    ProvisionedOrganization org = t.provision();
    TicketService tickets = t.tickets(org);
    for (TicketType type : TicketType.values()) {
      for (TicketPriority priority : TicketPriority.values()) {
        Ticket ticket = tickets.open(TicketDraft.builder(type + " " + priority).type(type).priority(priority).build());
        assertThat(List.of(ticket.type(), ticket.priority())).containsExactly(type, priority);
        assertThat(tickets.list(TicketQuery.builder().types(Set.of(type)).priorities(Set.of(priority)).build(), 10,
            Optional.empty()).items()).extracting(Ticket::id).containsExactly(ticket.id());
      }
    }
    for (TicketStatus status : TicketStatus.values()) {
      Ticket ticket = tickets.open(TicketDraft.builder("to " + status).build());
      Ticket moved = status == TicketStatus.OPEN ? ticket : tickets.forceStatus(ticket.id(), ticket.version(), status);
      assertThat(tickets.get(moved.id()).orElseThrow().status()).isEqualTo(status);
    }
    UUID id = org.organization().id();
    assertThat(t.admin("select distinct type from crm.tickets where organization_id = ? order by 1", id))
        .isEqualTo(Arrays.stream(TicketType.values()).map(v -> v.name().toLowerCase(Locale.ROOT)).sorted().toList());
    assertThat(t.admin("select distinct priority from crm.tickets where organization_id = ? order by 1", id))
        .isEqualTo(Arrays.stream(TicketPriority.values()).map(v -> v.name().toLowerCase(Locale.ROOT)).sorted().toList());
    assertThat(t.admin("select distinct status from crm.tickets where organization_id = ? order by 1", id))
        .isEqualTo(Arrays.stream(TicketStatus.values()).map(v -> v.name().toLowerCase(Locale.ROOT)).sorted().toList());
  }

  @Test
  void mergingCustomersMovesTheirTicketsAndDeletingOneUnlinksThem() {
    ProvisionedOrganization org = t.provision();
    var customers = t.admin(org).customers();
    UUID survivor = customers.create(CustomerDraft.builder().fullName("Sara").email("sara@example.com").build()).id();
    UUID duplicate = customers.create(CustomerDraft.builder().fullName("Sara A.").whatsappPhone("+966501230003")
        .build()).id();
    Ticket ticket = t.tickets(org).open(TicketDraft.builder("from the duplicate").customer(duplicate).build());
    customers.merge(survivor, duplicate);
    assertThat(t.tickets(org).get(ticket.id()).orElseThrow().customerId()).contains(survivor);
    customers.delete(survivor);
    Ticket kept = t.tickets(org).get(ticket.id()).orElseThrow();
    assertThat(kept.customerId()).as("unlinked, kept").isEmpty();
    assertThat(kept.title()).isEqualTo("from the duplicate");
  }
}
