package io.crmkit.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.crmkit.testdb.TenancyAttack;
import io.crmkit.testdb.TenancyViolation;
import io.crmkit.testdb.TenancyViolation.Rule;
import io.crmkit.testkit.CrmTestKit;
import io.crmkit.testkit.TenancyCheck;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tenancy check fails when a module's migration breaks the rules: every module migrated, plus
 * a test-only module ({@link TenancyFaultsModule}) whose migration adds a tenant table without row
 * security, one without a policy, one whose policy is not the bare equality, a single-column foreign
 * key between tenant tables, keys without the tenant, definer functions with no pinned or an unsafe
 * search_path or EXECUTE for PUBLIC, a table and a view the runtime role reaches without row
 * security. The catalog names each, and nothing else; the attack, as tenant B, gets through exactly
 * where the catalog says it would.
 */
class TenancyRulesBrokenOnPurposeTest {
  private static CrmTestKit kit;
  private static UUID a;
  private static UUID b;

  @BeforeAll
  static void setUp() throws SQLException {
    kit = CrmTestKit.start(builder -> builder.module(TenantFixture.whatsapp()).module(TenantFixture.billing())
        .module(new TenancyFaultsModule()));
    a = new TenantFixture(kit).complete("acme", "100000000000002").id();
    b = kit.provisionOrganization("globex").organization().id();
    UUID parent = UUID.randomUUID();
    try (Connection c = kit.adminDataSource().getConnection()) {
      for (String sql : new String[] {
          "insert into crm.unguarded_notes (organization_id, body) values (?, 'of A')",
          "insert into crm.policyless_notes (organization_id, body) values (?, 'of A')",
          "insert into crm.leaky_notes (organization_id, body) values (?, 'of A')",
          "insert into crm.keyless_tags (organization_id, name) values (?, 'vip')",
          "insert into crm.loose_parents (organization_id, id) values (?, '" + parent + "')",
          "insert into crm.loose_children (organization_id, parent_id) values (?, '" + parent + "')"}) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setObject(1, a);
          ps.execute();
        }
      }
    }
  }

  @AfterAll
  static void tearDown() {
    kit.close();
  }

  @Test
  void theCatalogNamesEachBreachAndNothingElse() {
    assertThat(TenancyCheck.of(kit).catalogViolations())
        .extracting(TenancyViolation::object, TenancyViolation::rule, TenancyViolation::detail)
        .containsExactlyInAnyOrder(
            tuple("unguarded_notes", Rule.ROW_SECURITY, "row security is off"),
            tuple("policyless_notes", Rule.ROW_SECURITY, "no policy"),
            tuple("leaky_notes.leaky_notes_tenant", Rule.POLICY, "using ((organization_id = ( SELECT"
                + " crm.current_organization_id() AS current_organization_id)) OR true) with check (organization_id ="
                + " ( SELECT crm.current_organization_id() AS current_organization_id)), not the bare (organization_id"
                + " = ( SELECT crm.current_organization_id() AS current_organization_id))"),
            tuple("loose_children.loose_children_parent_id_fkey", Rule.FOREIGN_KEY, "references loose_parents without"
                + " pairing organization_id with organization_id: FOREIGN KEY (parent_id) REFERENCES"
                + " crm.loose_parents(id) ON DELETE CASCADE"),
            tuple("loose_parents.loose_parents_id_key", Rule.KEY, "a unique key without organization_id:"
                + " CREATE UNIQUE INDEX loose_parents_id_key ON crm.loose_parents USING btree (id)"),
            tuple("keyless_tags.keyless_tags_pkey", Rule.KEY, "a unique key without organization_id:"
                + " CREATE UNIQUE INDEX keyless_tags_pkey ON crm.keyless_tags USING btree (id)"),
            tuple("keyless_tags.keyless_tags_name_key", Rule.KEY, "a unique key without organization_id:"
                + " CREATE UNIQUE INDEX keyless_tags_name_key ON crm.keyless_tags USING btree (name)"),
            tuple("unpinned_count()", Rule.DEFINER, "its search_path is not pinned"),
            tuple("public_count()", Rule.DEFINER, "PUBLIC may execute it"),
            tuple("temp_first_count()", Rule.DEFINER, "pg_temp is not last in its search_path (pg_temp, crm):"
                + " the caller's temporary objects could come first"),
            tuple("shared_settings", Rule.REACHABLE, "neither a tenant table nor a listed exception"),
            tuple("all_customer_names", Rule.REACHABLE, "a view that runs as its owner (not security_invoker),"
                + " so no row security applies through it"));
  }

  @Test
  void theAttackGetsThroughWhereTheCatalogSaysItWould() {
    TenancyAttack.Report report = TenancyCheck.of(kit).attack(a, b);
    assertThat(report.violations()).extracting(TenancyViolation::object, TenancyViolation::rule)
        .containsExactlyInAnyOrder(
            // No row security: B (and no tenant at all) reads, updates and deletes A's note.
            tuple("unguarded_notes", Rule.READ), tuple("unguarded_notes", Rule.READ),
            tuple("unguarded_notes", Rule.READ), tuple("unguarded_notes", Rule.UPDATE),
            tuple("unguarded_notes", Rule.DELETE), tuple("unguarded_notes", Rule.UNCHANGED),
            // USING … OR true: visible and deletable; the update is refused by WITH CHECK.
            tuple("leaky_notes", Rule.READ), tuple("leaky_notes", Rule.READ), tuple("leaky_notes", Rule.READ),
            tuple("leaky_notes", Rule.DELETE), tuple("leaky_notes", Rule.UNCHANGED),
            // A foreign key on the id alone finds A's parent for B's child.
            tuple("loose_children.loose_children_parent_id_fkey", Rule.REFERENCE));
    assertThat(report.steps()).contains(new TenancyAttack.Step("leaky_notes", "update A's row as B (set body)",
        "refused by a grant or row security (42501)"));

    assertThatThrownBy(() -> TenancyCheck.of(kit).assertClean(a, b)).isInstanceOf(AssertionError.class)
        .hasMessageContaining("unguarded_notes: row security is off (ROW_SECURITY:")
        .hasMessageContaining("loose_children.loose_children_parent_id_fkey: references loose_parents");
  }
}
