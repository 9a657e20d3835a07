package io.crmkit.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.testdb.Jdbc;
import io.crmkit.testdb.TenancyAttack;
import io.crmkit.testkit.CrmTestKit;
import io.crmkit.testkit.TenancyCheck;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tenancy check over the whole schema, crm-core, crm-whatsapp, crm-ticketing and the bridge
 * migrated together: every tenant table, foreign key and definer function keeps the foundation's
 * rules, and tenant B, attacking through plain JDBC as the runtime role, sees, changes and
 * references none of tenant A's rows, A having one in every tenant table.
 */
class TenancyAcrossModulesTest {
  private static CrmTestKit kit;
  private static UUID a;
  private static UUID b;

  @BeforeAll
  static void setUp() throws SQLException {
    kit = CrmTestKit.start(builder -> builder.module(TenantFixture.whatsapp()).module(TenantFixture.billing()));
    a = new TenantFixture(kit).complete("acme", "100000000000001").id();
    b = kit.provisionOrganization("globex").organization().id();
  }

  @AfterAll
  static void tearDown() {
    kit.close();
  }

  @Test
  void theCatalogOfEveryModuleKeepsEveryRule() {
    assertThat(kit.crm().modules()).containsExactlyInAnyOrder("core", "whatsapp", "ticketing", "ticketing_whatsapp",
        "campaigns", "billing");
    assertThat(TenancyCheck.of(kit).catalogViolations()).isEmpty();
  }

  @Test
  void tenantBSeesChangesAndReferencesNoneOfAsRowsInAnyTable() throws SQLException {
    TenancyAttack.Report report = TenancyCheck.of(kit).attack(a, b);
    assertThat(report.violations()).isEmpty();
    assertThat(report.steps()).filteredOn(step -> step.action().equals("delete A's row as B"))
        .extracting(TenancyAttack.Step::table).as("every tenant table had a row of A to attack")
        .containsExactlyInAnyOrderElementsOf(tablesWithATenant());
    assertThat(report.steps()).filteredOn(step -> step.action().startsWith("insert into"))
        .extracting(TenancyAttack.Step::outcome).as("every reference to A's rows refused by a foreign key")
        .isNotEmpty().allMatch(outcome -> outcome.startsWith("refused by foreign key"));
  }

  /** The tables with the tenant column, and the tenant root, the listed exceptions left out, as the superuser reads them. */
  private static List<String> tablesWithATenant() throws SQLException {
    try (Connection c = kit.adminDataSource().getConnection()) {
      return Jdbc.rows(c, "select c.relname from pg_class c where c.relnamespace = 'crm'::regnamespace"
          + " and c.relkind in ('r', 'p') and (c.relname = 'organizations' or exists (select 1 from pg_attribute a"
          + " where a.attrelid = c.oid and a.attname = 'organization_id')) and c.relname <> 'whatsapp_routes'");
    }
  }
}
