package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.testdb.TenancyCatalog;
import io.crmkit.testdb.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the rules every tenant table must follow by reading the catalog, so a table added later
 * that breaks one fails here: RLS on, organization_id in every key, composite foreign keys with
 * an explicit delete action, policies without OR.
 */
class SchemaRulesTest {
  /** Every foreign key of the schema and its delete action (c = cascade, n = set null, r = restrict). */
  private static final Map<String, String> FOREIGN_KEY_ACTIONS = Map.ofEntries(
      Map.entry("organizations(package_id) -> packages", "r"),
      Map.entry("users(organization_id) -> organizations", "c"),
      Map.entry("users(organization_id,invited_by) -> users", "n"),
      Map.entry("invitations(organization_id) -> organizations", "c"),
      Map.entry("invitations(organization_id,invited_by) -> users", "n"),
      Map.entry("invitations(organization_id,accepted_user_id) -> users", "n"),
      Map.entry("integration_mappings(organization_id) -> organizations", "c"),
      Map.entry("usage_counters(organization_id) -> organizations", "c"),
      Map.entry("sales_stages(organization_id) -> organizations", "c"),
      Map.entry("customers(organization_id) -> organizations", "c"),
      Map.entry("customers(organization_id,sales_stage_id) -> sales_stages", "r"),
      Map.entry("customers(organization_id,assigned_to) -> users", "n"),
      Map.entry("customers(organization_id,created_by) -> users", "n"),
      Map.entry("customer_activities(organization_id) -> organizations", "c"),
      Map.entry("customer_activities(organization_id,customer_id) -> customers", "c"),
      Map.entry("customer_activities(organization_id,performed_by) -> users", "n"),
      Map.entry("dead_letters(organization_id) -> organizations", "c"));

  private static TestCrm t;

  @BeforeAll
  static void setUp() {
    t = TestCrm.start();
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  @Test
  void everyTenantTableHasRowLevelSecurityWithoutForce() throws SQLException {
    List<String> rows = query("""
        select c.relname || ' ' || c.relrowsecurity || ' ' || c.relforcerowsecurity
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'crm' and c.relkind = 'r' and not c.relname like 'flyway_history_%'
           and (exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'organization_id')
                or c.relname in ('organizations', 'packages'))
         order by 1""");
    assertThat(rows).containsExactly(
        "customer_activities true false", "customers true false", "dead_letters true false",
        "integration_mappings true false", "invitations true false", "organizations true false",
        "packages true false", "sales_stages true false", "usage_counters true false", "users true false");
  }

  @Test
  void everyKeyOfATenantTableIncludesOrganizationId() throws SQLException {
    List<String> offenders = query("""
        select c.relname || ': ' || pg_get_indexdef(i.indexrelid)
          from pg_index i
          join pg_class c on c.oid = i.indrelid
          join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'crm' and i.indisunique
           and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'organization_id')
           and pg_get_indexdef(i.indexrelid) not like '%(organization_id%'
        """);
    assertThat(offenders).isEmpty();
    assertThat(query("""
        select c.relname from pg_constraint k join pg_class c on c.oid = k.conrelid
          join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'crm' and k.contype = 'p'
           and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'organization_id')
           and (select a.attname from pg_attribute a where a.attrelid = c.oid and a.attnum = k.conkey[1]) <> 'organization_id'
        """)).as("primary keys not led by organization_id").isEmpty();
  }

  @Test
  void foreignKeysAreCompositeAndTheirDeleteActionsExplicit() throws SQLException {
    Map<String, String> actual = new HashMap<>();
    for (String row : query("""
        select src.relname || '(' || string_agg(a.attname, ',' order by k.ord) || ') -> ' || dst.relname
               || ' ' || c.confdeltype::text
          from pg_constraint c
          join pg_class src on src.oid = c.conrelid
          join pg_class dst on dst.oid = c.confrelid
          join pg_namespace n on n.oid = src.relnamespace
          cross join lateral unnest(c.conkey) with ordinality as k(attnum, ord)
          join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
         where n.nspname = 'crm' and c.contype = 'f'
         group by c.oid, src.relname, dst.relname, c.confdeltype""")) {
      int space = row.lastIndexOf(' ');
      actual.put(row.substring(0, space), row.substring(space + 1));
    }
    assertThat(actual).isEqualTo(FOREIGN_KEY_ACTIONS);
    // Between tenant tables (everything but the plan catalog and the tenant root itself), keys are composite.
    assertThat(actual.keySet()).filteredOn(k -> !k.endsWith("organizations") && !k.endsWith("packages"))
        .allMatch(k -> k.contains("(organization_id,"));
  }

  @Test
  void setNullActionsClearOnlyTheReferenceNotTheTenant() throws SQLException {
    // ON DELETE SET NULL (column), new in PostgreSQL 15: a bare SET NULL would null organization_id too.
    List<String> rows = query("""
        select conname || ' ' || pg_get_constraintdef(oid) from pg_constraint
         where connamespace = 'crm'::regnamespace and contype = 'f' and confdeltype = 'n'""");
    assertThat(rows).hasSize(6)
        .allMatch(r -> r.matches(".*ON DELETE SET NULL \\((invited_by|accepted_user_id|assigned_to|created_by|performed_by)\\)$"));
  }

  @Test
  void policiesAreABareTenantEqualityWithoutOr() throws SQLException {
    // The exact shape: a sub-select (an InitPlan, evaluated once) compared with the tenant column.
    String tenant = "(organization_id = ( SELECT crm.current_organization_id() AS current_organization_id))";
    List<String> policies = query("""
        select tablename || ' ' || cmd || ' ' || coalesce(qual, '-') || ' ' || coalesce(with_check, '-')
          from pg_policies where schemaname = 'crm' and tablename not in ('organizations', 'packages')
         order by 1""");
    assertThat(policies).containsExactly(
        "customer_activities ALL " + tenant + " " + tenant,
        "customers ALL " + tenant + " " + tenant,
        "dead_letters ALL " + tenant + " " + tenant,
        "integration_mappings ALL " + tenant + " " + tenant,
        "invitations ALL " + tenant + " " + tenant,
        "sales_stages ALL " + tenant + " " + tenant,
        "usage_counters ALL " + tenant + " " + tenant,
        "users ALL " + tenant + " " + tenant);
    String root = "(id = ( SELECT crm.current_organization_id() AS current_organization_id))";
    assertThat(query("select cmd || ' ' || coalesce(qual, '-') || ' ' || coalesce(with_check, '-') from pg_policies"
        + " where schemaname = 'crm' and tablename = 'organizations' order by 1"))
        .containsExactly("SELECT " + root + " -", "UPDATE " + root + " " + root);
    assertThat(query("select qual from pg_policies where schemaname = 'crm'"))
        .allSatisfy(q -> assertThat(q.toLowerCase()).doesNotContain(" or "));
  }

  @Test
  void noRuntimeRoleGrantLetsATenantRowsOrganizationIdBeUpdated() throws SQLException {
    // The policies refuse moving a row to another tenant; no grant should allow the attempt.
    try (Connection c = t.admin().getConnection()) {
      assertThat(TenancyCatalog.tablesWhoseTenantRoleMayUpdate(c, "crm", TestPostgres.RUNTIME_ROLE)).isEmpty();
    }
  }

  @Test
  void runtimeRoleOwnsNothingAndCannotCreateInTheSchema() throws SQLException {
    assertThat(query("""
        select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'crm' and pg_has_role('crm_app', c.relowner, 'MEMBER')""")).isEmpty();
    assertThat(query("select has_schema_privilege('crm_app', 'crm', 'CREATE')::text")).containsExactly("false");
    assertThat(query("select pg_get_userbyid(nspowner) from pg_namespace where nspname = 'crm'"))
        .containsExactly("crm_owner");
  }

  @Test
  void updatedAtMovesOnlyWhenARowReallyChanges() throws SQLException {
    ProvisionedOrganization org = t.provision();
    String id = org.organization().id().toString();
    // Backdate with triggers off (replica mode), then see what each kind of update does.
    t.executeAsAdmin("set session_replication_role = replica;"
        + " update crm.organizations set updated_at = '2020-01-01' where id = '" + id + "'");
    t.executeAsAdmin("update crm.organizations set name = name where id = '" + id + "'");
    assertThat(query("select (updated_at = '2020-01-01'::timestamptz)::text from crm.organizations where id = '" + id + "'"))
        .as("a no-op update keeps updated_at").containsExactly("true");
    t.executeAsAdmin("update crm.organizations set name = 'Renamed' where id = '" + id + "'");
    assertThat(query("select (updated_at > now() - interval '1 minute')::text from crm.organizations where id = '" + id + "'"))
        .as("a real change sets updated_at").containsExactly("true");
  }

  @Test
  void theSeedsFivePlansCarryEveryLimitColumn() throws SQLException {
    assertThat(query("select slug || ' ' || coalesce(max_users::text, 'unlimited') || ' '"
        + " || coalesce(max_tickets_per_month::text, 'unlimited') from crm.packages order by display_order"))
        .containsExactly("free 3 50", "lite 10 500", "professional 50 5000", "business 200 50000",
            "enterprise unlimited unlimited");
  }

  private static List<String> query(String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = t.admin().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }
}
