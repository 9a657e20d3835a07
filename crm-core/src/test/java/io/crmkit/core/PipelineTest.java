package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PipelineTest {
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
  void everyNewOrganizationGetsTheSeedsSixStagesWithOneDefault() {
    ProvisionedOrganization first = t.provision();
    ProvisionedOrganization later = t.provision();
    for (ProvisionedOrganization org : List.of(first, later)) {
      List<SalesStage> stages = t.adminScope(org).pipeline().stages();
      assertThat(stages).extracting(SalesStage::name)
          .containsExactly("Lead", "Qualified", "Proposal", "Negotiation", "Won", "Lost");
      assertThat(stages).extracting(SalesStage::probability).containsExactly(10, 25, 50, 75, 100, 0);
      assertThat(stages).extracting(SalesStage::color)
          .containsExactly("#6B7280", "#3B82F6", "#F59E0B", "#8B5CF6", "#10B981", "#EF4444");
      assertThat(stages).filteredOn(SalesStage::isDefault).extracting(SalesStage::name).containsExactly("Lead");
    }
    assertThat(t.adminScope(first).pipeline().stages()).extracting(SalesStage::id)
        .doesNotContainAnyElementsOf(t.adminScope(later).pipeline().stages().stream().map(SalesStage::id).toList());
  }

  @Test
  void organizationsThatExistedBeforeTheStagesGetThemFromTheMigration() throws SQLException {
    try (TestDatabase db = TestPostgres.shared().createDatabase();
        Crm crm = Crm.builder().dataSource(db.runtimeDataSource()).migrationDataSource(db.adminDataSource()).build()) {
      db.executeAsAdmin("CREATE SCHEMA crm AUTHORIZATION crm_owner");
      crm.migrations().get(0).configuration().target("9").load().migrate();
      db.executeAsAdmin("insert into crm.organizations (name, slug, package_id, default_region)"
          + " select 'Old ' || g, 'old-' || g, (select id from crm.packages where slug = 'free'), 'SA'"
          + " from generate_series(1, 3) g");
      crm.migrate();
      assertThat(MigrationTest.query(db.adminDataSource(), "select o.slug || ' ' || count(s.id) || ' '"
          + " || count(*) filter (where s.is_default) from crm.organizations o"
          + " join crm.sales_stages s on s.organization_id = o.id group by o.slug order by o.slug"))
          .containsExactly("old-1 6 1", "old-2 6 1", "old-3 6 1");
    }
  }
}
