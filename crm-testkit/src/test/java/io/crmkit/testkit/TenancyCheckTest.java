package io.crmkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.crmkit.core.TenantScope;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.users.NewMember;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import io.crmkit.testdb.TenancyAttack;
import io.crmkit.testdb.TenancyViolation;
import io.crmkit.testdb.TenancyViolation.Rule;
import io.crmkit.testdb.TestPostgres;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tenancy check as a host that uses only crm-core runs it: a tenant with a row in every core
 * table, another freshly provisioned, and no violation; a table without a row of A is named.
 * (crm-checks runs it over every module at once, and breaks the rules on purpose.)
 */
class TenancyCheckTest {
  private static CrmTestKit kit;
  private static UUID a;
  private static UUID b;

  @BeforeAll
  static void setUp() throws SQLException {
    kit = CrmTestKit.start();
    ProvisionedOrganization acme = kit.provisionOrganization("acme");
    a = acme.organization().id();
    b = kit.provisionOrganization("globex").organization().id();
    TenantScope admin = kit.crm().tenant(a).as(acme.admin().id());
    User omar = kit.crm().acceptInvitation(admin.users().invite("omar@acme.example", Role.AGENT).token(),
        NewMember.named("Omar"));
    admin.users().invite("layla@acme.example", Role.MEMBER);
    TenantScope agent = kit.crm().tenant(a).as(omar.id());
    Customer ahmed = agent.customers().create(CustomerDraft.builder().fullName("Ahmed").whatsappPhone("0501234567").build());
    agent.customers().assign(ahmed.id(), Optional.of(omar.id()));
    agent.customers().logActivity(ahmed.id(), "call", Optional.of("Asked for a quote"), Map.of());
    // No module writes integration_mappings yet, and only a module writes dead_letters (crm-whatsapp,
    // absent here): a row of each goes in as the tenant would write it.
    try (Connection c = kit.runtimeDataSource().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("select set_config('app.current_organization_id', ?, true)")) {
        ps.setString(1, a.toString());
        ps.execute();
      }
      try (PreparedStatement ps = c.prepareStatement("insert into crm.integration_mappings (organization_id,"
          + " source_module, source_record_id, target_module, target_record_id, mapping_type)"
          + " values (?, 'core', ?, 'ticketing', gen_random_uuid(), 'customer_ticket')")) {
        ps.setObject(1, a);
        ps.setObject(2, ahmed.id());
        ps.execute();
      }
      try (PreparedStatement ps = c.prepareStatement("insert into crm.dead_letters (organization_id, source,"
          + " item_key, item, reason) values (?, 'probe.items', 'item-1', '{}'::jsonb, 'refused by the probe')")) {
        ps.setObject(1, a);
        ps.execute();
      }
      c.commit();
    }
  }

  @AfterAll
  static void tearDown() {
    kit.close();
  }

  @Test
  void coreKeepsEveryRuleAndTheAttackFindsNothing() {
    TenancyCheck check = TenancyCheck.of(kit);
    assertThat(check.catalogViolations()).isEmpty();
    TenancyAttack.Report report = check.attack(a, b);
    assertThat(report.violations()).isEmpty();
    assertThat(report.steps()).extracting(TenancyAttack.Step::table).contains("organizations", "users", "invitations",
        "integration_mappings", "usage_counters", "sales_stages", "customers", "customer_activities", "dead_letters");
    check.assertClean(a, b);
  }

  @Test
  void aTenantTableWithoutARowOfANamesTheTableAndTheAttackItCouldNotTry() {
    UUID empty = kit.provisionOrganization("initech").organization().id();
    assertThat(TenancyCheck.of(kit).attack(empty, b).violations())
        .extracting(TenancyViolation::object, TenancyViolation::rule)
        .contains(tuple("customers", Rule.FIXTURE), tuple("customer_activities", Rule.FIXTURE))
        .doesNotContain(tuple("users", Rule.FIXTURE));
  }

  @Test
  void aPooledSuperuserConnectionGoesBackAsTheSuperuser() throws Exception {
    List<Connection> pooled = List.of(kit.adminDataSource().getConnection(), kit.adminDataSource().getConnection());
    try {
      AtomicInteger next = new AtomicInteger();
      DataSource pool = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
          new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
            if (!method.getName().equals("getConnection")) {
              throw new UnsupportedOperationException(method.getName());
            }
            Connection connection = pooled.get(next.getAndIncrement() % pooled.size());
            // Closing hands the connection back to the "pool", as a real pool's proxy does.
            return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (p, m, a) -> {
                  if (m.getName().equals("close")) {
                    return null;
                  }
                  try {
                    return m.invoke(connection, a);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
          });
      TenancyCheck.of(pool, "crm", TestPostgres.OWNER_ROLE, TestPostgres.RUNTIME_ROLE).attack(a, b);
      assertThat(next.get()).as("connections taken").isEqualTo(2);
      for (Connection c : pooled) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select current_user = session_user")) {
          rs.next();
          assertThat(rs.getBoolean(1)).as("the role reset").isTrue();
        }
      }
    } finally {
      for (Connection c : pooled) {
        c.close();
      }
    }
  }

  @Test
  void theTwoTenantsMustDiffer() {
    assertThatThrownBy(() -> TenancyCheck.of(kit).attack(a, a)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TenancyCheck.of(kit).except("customers", " ")).isInstanceOf(IllegalArgumentException.class);
  }
}
