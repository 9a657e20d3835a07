package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.platform.Plan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Under RLS, PostgreSQL uses only leakproof conditions in index scans. These plans, taken as the
 * runtime role with a tenant set, show the tenant key reaching the index: from the query's own
 * equality, and from the policy alone (its {@code (select current_organization_id())} is an
 * InitPlan parameter, not a per-row filter).
 */
class QueryPlanTest {
  private static TestCrm t;
  private static UUID tenant;
  private static UUID user;

  @BeforeAll
  static void setUp() throws SQLException {
    t = TestCrm.start();
    t.executeAsAdmin("""
        insert into crm.organizations (name, slug, package_id, default_region)
        select 'Bulk ' || g, 'bulk-' || g, (select id from crm.packages where slug = 'free'), 'SA'
          from generate_series(1, 200) g;
        insert into crm.users (organization_id, email)
        select o.id, 'user' || g || '@' || o.slug || '.example'
          from crm.organizations o cross join generate_series(1, 100) g;
        insert into crm.sales_stages (organization_id, name, display_order, is_default)
        select id, 'Lead', 1, true from crm.organizations;
        insert into crm.customers (organization_id, full_name, email, whatsapp_phone, sales_stage_id)
        select o.id, 'Customer ' || g, 'c' || g || '@' || o.slug || '.example', '+9665' || lpad((o.n * 1000 + g)::text, 8, '0'),
               s.id
          from (select id, slug, row_number() over (order by id) as n from crm.organizations) o
          join crm.sales_stages s on s.organization_id = o.id
         cross join generate_series(1, 100) g;
        analyze crm.organizations; analyze crm.users; analyze crm.customers;""");
    List<String> row = MigrationTest.query(t.admin(),
        "select organization_id || ' ' || id from crm.users where email = 'user50@bulk-7.example'");
    tenant = UUID.fromString(row.get(0).split(" ")[0]);
    user = UUID.fromString(row.get(0).split(" ")[1]);
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  @Test
  void aTenantPointLookupIsAnIndexScanWithTheTenantInTheIndexCondition() throws Exception {
    JsonNode plan = explain("select * from crm.users where organization_id = '" + tenant + "' and id = '" + user + "'");
    List<JsonNode> scans = scansOf(plan, "users");
    assertThat(scans).singleElement().satisfies(scan -> {
      assertThat(scan.path("Node Type").asText()).startsWith("Index");
      assertThat(scan.path("Index Cond").asText()).contains("organization_id").contains("id =");
    });
  }

  @Test
  void thePolicyAloneReachesTheIndex() throws Exception {
    JsonNode plan = explain("select email from crm.users order by organization_id, id limit 50");
    List<JsonNode> scans = scansOf(plan, "users");
    assertThat(scans).singleElement().satisfies(scan -> {
      assertThat(scan.path("Node Type").asText()).startsWith("Index");
      assertThat(scan.path("Index Cond").asText()).contains("organization_id = ").containsAnyOf("(InitPlan 1).col1", "$0")
          .as("the policy must not be an OR or a per-row function call").doesNotContain("current_setting");
    });
  }

  @Test
  void customerLookupsByEmailAndPhoneAreIndexScansUnderRls() throws Exception {
    for (String condition : List.of("email_lower = lower('c50@bulk-7.example')", "whatsapp_phone = '+966500007050'")) {
      JsonNode plan = explain("select id from crm.customers where organization_id = '" + tenant + "' and " + condition);
      assertThat(scansOf(plan, "customers")).as(condition).singleElement().satisfies(scan -> {
        assertThat(scan.path("Node Type").asText()).startsWith("Index");
        assertThat(scan.path("Index Cond").asText()).contains("organization_id");
      });
    }
  }

  private static JsonNode explain(String sql) throws Exception {
    try (Connection c = t.runtime().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("select set_config('app.current_organization_id', ?, true)")) {
        ps.setString(1, tenant.toString());
        ps.execute();
      }
      try (PreparedStatement ps = c.prepareStatement("explain (format json) " + sql); ResultSet rs = ps.executeQuery()) {
        rs.next();
        JsonNode plan = new ObjectMapper().readTree(rs.getString(1)).get(0).get("Plan");
        c.rollback();
        return plan;
      }
    }
  }

  private static List<JsonNode> scansOf(JsonNode plan, String relation) {
    List<JsonNode> found = new ArrayList<>();
    collect(plan, relation, found);
    return found;
  }

  private static void collect(JsonNode node, String relation, List<JsonNode> found) {
    if (relation.equals(node.path("Relation Name").asText())) {
      found.add(node);
    }
    for (JsonNode child : node.path("Plans")) {
      collect(child, relation, found);
    }
  }
}
