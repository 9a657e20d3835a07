package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.users.IssuedInvitation;
import io.crmkit.core.users.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * Goes around the Java API with plain JDBC as the runtime role to prove the database itself keeps
 * tenants apart: without a context nothing is visible or writable, and with one only that
 * tenant's rows are.
 */
class TenancyAttackTest {
  /** Every tenant table, and a column the runtime role may update on it (null: no UPDATE grant). */
  private static final List<String[]> TENANT_TABLES = List.of(
      new String[] {"users", "full_name"},
      new String[] {"invitations", "accepted_at"},
      new String[] {"integration_mappings", null},
      new String[] {"usage_counters", "value"},
      new String[] {"sales_stages", "name"},
      new String[] {"customers", "full_name"},
      new String[] {"customer_activities", null},
      new String[] {"dead_letters", "reason"});

  private static TestCrm t;
  private static ProvisionedOrganization a;
  private static ProvisionedOrganization b;
  private static IssuedInvitation invitationOfB;

  @BeforeAll
  static void setUp() throws SQLException {
    t = TestCrm.start();
    a = t.provision();
    b = t.provision();
    t.adminScope(a).users().invite("agent@a.example", Role.AGENT);
    invitationOfB = t.adminScope(b).users().invite("agent@b.example", Role.AGENT);
    t.adminScope(a).customers().create(CustomerDraft.builder().fullName("Customer of A").build());
    t.adminScope(b).customers().create(CustomerDraft.builder().fullName("Customer of B").build());
    for (ProvisionedOrganization org : List.of(a, b)) {
      UUID id = org.organization().id();
      t.executeAsAdmin("insert into crm.integration_mappings (organization_id, source_module, source_record_id,"
          + " target_module, target_record_id, mapping_type) values ('" + id + "', 'crm', gen_random_uuid(),"
          + " 'ticketing', gen_random_uuid(), 'customer_ticket')");
      t.executeAsAdmin("insert into crm.usage_counters (organization_id, metric, period_start, value)"
          + " values ('" + id + "', 'attack_metric', '1970-01-01', 5)");
      t.executeAsAdmin("insert into crm.dead_letters (organization_id, source, item_key, item, reason)"
          + " values ('" + id + "', 'attack.webhook', 'item-1', '{}', 'kept')");
    }
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  @Test
  void withoutTenantEveryTableReadsEmptyAndUpdatesAndDeletesTouchNothing() throws SQLException {
    try (Connection c = t.runtime().getConnection()) {
      c.setAutoCommit(false);
      for (String[] table : TENANT_TABLES) {
        assertThat(count(c, "select count(*) from crm." + table[0])).as(table[0]).isZero();
        if (table[1] != null) {
          assertThat(update(c, "update crm." + table[0] + " set " + table[1] + " = " + table[1])).as(table[0]).isZero();
        }
      }
      assertThat(count(c, "select count(*) from crm.organizations")).isZero();
      assertThat(count(c, "select count(*) from crm.packages")).as("packages").isZero();
      assertThat(count(c, "select count(*) from crm.subscription_plans")).as("subscription_plans").isZero();
      assertThat(update(c, "delete from crm.invitations")).isZero();
      assertThat(update(c, "delete from crm.integration_mappings")).isZero();
      c.rollback();
    }
    assertThat(countAsAdmin("select count(*) from crm.invitations")).as("nothing was deleted").isEqualTo(2);
  }

  @Test
  void withoutTenantInsertsFailThePolicyCheck() throws SQLException {
    try (Connection c = t.runtime().getConnection()) {
      c.setAutoCommit(false);
      assertThatThrownBy(() -> update(c, "insert into crm.users (organization_id, email) values ('"
          + a.organization().id() + "', 'intruder@x.example')"))
          .isInstanceOf(PSQLException.class)
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
      c.rollback();
    }
  }

  @Test
  void afterATransactionEndsTheEmptySettingIsNoTenantNotAnError() throws SQLException {
    try (Connection c = t.runtime().getConnection()) {
      c.setAutoCommit(false);
      setTenant(c, a.organization().id());
      assertThat(count(c, "select count(*) from crm.users")).isEqualTo(1);
      c.commit();
      // The transaction-local setting now reads back as '' (not NULL); ''::uuid would fail.
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select current_setting('app.current_organization_id', true)")) {
        rs.next();
        assertThat(rs.getString(1)).isEmpty();
      }
      assertThat(count(c, "select count(*) from crm.users")).isZero();
      c.rollback();
    }
  }

  @Test
  void aTenantSeesOnlyItsOwnRowsWhateverItAsksFor() throws SQLException {
    try (Connection c = t.runtime().getConnection()) {
      c.setAutoCommit(false);
      setTenant(c, a.organization().id());
      String other = "'" + b.organization().id() + "'";
      for (String[] table : TENANT_TABLES) {
        assertThat(count(c, "select count(*) from crm." + table[0] + " where organization_id = " + other))
            .as(table[0]).isZero();
        assertThat(count(c, "select count(*) from crm." + table[0] + " where organization_id <> "
            + "'" + a.organization().id() + "'")).as(table[0]).isZero();
      }
      assertThat(count(c, "select count(*) from crm.organizations")).isEqualTo(1);
      assertThat(count(c, "select count(*) from crm.organizations where id = " + other)).isZero();
      c.rollback();
    }
  }

  @Test
  void aTenantCannotUpdateOrDeleteAnotherTenantsRows() throws SQLException {
    String other = "'" + b.organization().id() + "'";
    try (Connection c = t.runtime().getConnection()) {
      c.setAutoCommit(false);
      setTenant(c, a.organization().id());
      assertThat(update(c, "update crm.users set full_name = 'pwned' where organization_id = " + other)).isZero();
      assertThat(update(c, "update crm.organizations set name = 'pwned' where id = " + other)).isZero();
      assertThat(update(c, "delete from crm.invitations where organization_id = " + other)).isZero();
      assertThat(update(c, "delete from crm.integration_mappings where organization_id = " + other)).isZero();
      assertThat(update(c, "update crm.usage_counters set value = 0 where organization_id = " + other)).isZero();
      assertThat(update(c, "update crm.customers set full_name = 'pwned' where organization_id = " + other)).isZero();
      assertThat(update(c, "delete from crm.customers where organization_id = " + other)).isZero();
      assertThat(update(c, "update crm.dead_letters set reason = 'pwned' where organization_id = " + other)).isZero();
      assertThat(update(c, "delete from crm.dead_letters where organization_id = " + other)).isZero();
      c.commit();
    }
    assertThat(countAsAdmin("select count(*) from crm.users where full_name = 'pwned'")).isZero();
    assertThat(countAsAdmin("select count(*) from crm.customers where full_name = 'pwned'")).isZero();
    assertThat(countAsAdmin("select count(*) from crm.customers")).isEqualTo(2);
    assertThat(countAsAdmin("select count(*) from crm.usage_counters where value = 5")).isEqualTo(2);
    assertThat(countAsAdmin("select count(*) from crm.dead_letters where reason = 'kept'")).isEqualTo(2);
  }

  @Test
  void aTenantCannotInsertRowsForAnotherTenant() throws SQLException {
    try (Connection c = t.runtime().getConnection()) {
      c.setAutoCommit(false);
      setTenant(c, a.organization().id());
      assertThatThrownBy(() -> update(c, "insert into crm.users (organization_id, email) values ('"
          + b.organization().id() + "', 'intruder@x.example')"))
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
      c.rollback();
    }
  }

  @Test
  void aTenantCannotMoveItsRowsIntoAnotherTenant() throws SQLException {
    try (Connection c = t.runtime().getConnection()) {
      c.setAutoCommit(false);
      setTenant(c, a.organization().id());
      // organization_id is not even updatable by the runtime role.
      assertThatThrownBy(() -> update(c, "update crm.usage_counters set organization_id = '"
          + b.organization().id() + "'"))
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
      c.rollback();
    }
  }

  @Test
  void aRowCannotReferenceAnotherTenantsRow() throws SQLException {
    try (Connection c = t.runtime().getConnection()) {
      c.setAutoCommit(false);
      setTenant(c, a.organization().id());
      // Foreign-key checks ignore RLS; the composite key (organization_id, invited_by) is what refuses B's user.
      assertThatThrownBy(() -> update(c, "insert into crm.invitations (organization_id, email, token_hash, expires_at,"
          + " invited_by) values ('" + a.organization().id() + "', 'x@a.example', sha256('x'::bytea),"
          + " now() + interval '1 day', '" + b.admin().id() + "')"))
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("23503");
      c.rollback();
    }
  }

  @Test
  void aCustomerCannotBePutInAnotherTenantsStageOrAssignedToItsUser() throws SQLException {
    UUID stageOfB = UUID.fromString(MigrationTest.query(t.admin(), "select id from crm.sales_stages where organization_id = '"
        + b.organization().id() + "' and is_default").get(0));
    for (String column : List.of("sales_stage_id = '" + stageOfB + "'", "assigned_to = '" + b.admin().id() + "'")) {
      try (Connection c = t.runtime().getConnection()) {
        c.setAutoCommit(false);
        setTenant(c, a.organization().id());
        assertThatThrownBy(() -> update(c, "update crm.customers set " + column))
            .as(column).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("23503");
        c.rollback();
      }
    }
  }

  @Test
  void aTenantCannotChangeItsSlugPlanOrLimits() throws SQLException {
    for (String change : List.of("slug = 'taken'", "package_id = package_id", "custom_limits = '{}'",
        "subscription_status = 'active'")) {
      try (Connection c = t.runtime().getConnection()) {
        c.setAutoCommit(false);
        setTenant(c, a.organization().id());
        assertThatThrownBy(() -> update(c, "update crm.organizations set " + change))
            .as(change).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
        c.rollback();
      }
    }
  }

  @Test
  void aTenantSeesOnlyItsOwnPlan() throws SQLException {
    try (Connection c = t.runtime().getConnection()) {
      c.setAutoCommit(false);
      setTenant(c, a.organization().id());
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select slug from crm.subscription_plans")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("professional");
        assertThat(rs.next()).isFalse();
      }
      c.rollback();
    }
  }

  @Test
  void limitFunctionsTreatAnotherTenantAsNotFound() throws SQLException {
    try (Connection c = t.runtime().getConnection()) {
      c.setAutoCommit(false);
      setTenant(c, a.organization().id());
      assertThatThrownBy(() -> count(c, "select count(*) from crm.get_organization_limits('" + b.organization().id() + "')"))
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("P0002");
      c.rollback();
    }
  }

  @Test
  void findOrganizationBySlugRevealsOnlyIdAndName() throws SQLException {
    try (Connection c = t.runtime().getConnection()) {
      c.setAutoCommit(false);
      setTenant(c, a.organization().id());
      try (PreparedStatement ps = c.prepareStatement("select * from crm.find_organization_by_slug(?)")) {
        ps.setString(1, b.organization().slug().toUpperCase());
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.getMetaData().getColumnCount()).isEqualTo(2);
          assertThat(rs.next()).isTrue();
          assertThat(rs.getObject("id", UUID.class)).isEqualTo(b.organization().id());
          assertThat(rs.next()).isFalse();
        }
      }
      // A pattern is not a wildcard: the slug is compared for equality.
      try (PreparedStatement ps = c.prepareStatement("select count(*) from crm.find_organization_by_slug(?)")) {
        ps.setString(1, "%");
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1)).isZero();
        }
      }
      c.rollback();
    }
  }

  @Test
  void findInvitationByTokenHashNeedsTheExactHashAndRevealsOnlyIds() throws SQLException {
    try (Connection c = t.runtime().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("select * from crm.find_invitation_by_token_hash(?)")) {
        ps.setBytes(1, new byte[32]);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).as("a made-up hash finds nothing").isFalse();
        }
        ps.setBytes(1, java.security.MessageDigest.getInstance("SHA-256")
            .digest(invitationOfB.token().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.getMetaData().getColumnCount()).isEqualTo(2);
          assertThat(rs.next()).isTrue();
          assertThat(rs.getObject("organization_id", UUID.class)).isEqualTo(b.organization().id());
        }
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new AssertionError(e);
      }
      // Calling it does not open the invitations table: without a context it still reads empty.
      assertThat(count(c, "select count(*) from crm.invitations")).isZero();
      c.rollback();
    }
  }

  @Test
  void crossTenantFunctionsAreOwnerDefinedWithAPinnedSearchPathAndNotPublic() throws SQLException {
    try (Connection c = t.admin().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("""
            select p.proname, pg_get_userbyid(p.proowner),
                   (select setting from unnest(p.proconfig) setting where setting like 'search_path=%'),
                   array_to_string(array(select split_part(setting, '=', 1) from unnest(p.proconfig) setting
                                          where setting not like 'search_path=%' order by 1), ','),
                   has_function_privilege('public', p.oid, 'EXECUTE')
              from pg_proc p join pg_namespace n on n.oid = p.pronamespace
             where n.nspname = 'crm' and p.prosecdef order by 1""")) {
      int found = 0;
      while (rs.next()) {
        found++;
        assertThat(rs.getString(2)).as(rs.getString(1)).isEqualTo("crm_owner");
        // Pinned to CRMKit's schema first and pg_temp last (search_customers also names pg_trgm's schema).
        assertThat(rs.getString(3)).as(rs.getString(1)).startsWith("search_path=crm, ").endsWith("pg_temp");
        assertThat(rs.getString(4)).as(rs.getString(1) + " sets nothing else (search sets its similarity threshold)")
            .isEqualTo(rs.getString(1).equals("search_customers") ? "pg_trgm.word_similarity_threshold" : "");
        assertThat(rs.getBoolean(5)).as(rs.getString(1) + " executable by PUBLIC").isFalse();
      }
      assertThat(found).as("the two cross-tenant functions, search_customers and list_customers").isEqualTo(4);
    }
  }

  @Test
  void aPooledConnectionCarriesNoTenantIntoTheNextBorrower() throws SQLException {
    try (TestCrm single = TestCrm.start(1, b -> {})) {
      ProvisionedOrganization org = single.provision();
      assertThat(single.adminScope(org).users().list()).hasSize(1);
      // The pool has one connection, so this is the very connection the scope just used.
      try (Connection c = single.runtimePool.getConnection()) {
        assertThat(c.getAutoCommit()).as("auto-commit restored").isTrue();
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("select current_setting('app.current_organization_id', true),"
                + " (select count(*) from crm.users)")) {
          rs.next();
          assertThat(rs.getString(1)).isNullOrEmpty();
          assertThat(rs.getLong(2)).isZero();
        }
      }
      // And the next scope on that same connection sets its own tenant again.
      assertThat(single.adminScope(org).users().list()).hasSize(1);
    }
  }

  private static void setTenant(Connection c, UUID organizationId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select set_config('app.current_organization_id', ?, true)")) {
      ps.setString(1, organizationId.toString());
      ps.execute();
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static int update(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return s.executeUpdate(sql);
    }
  }

  private static long countAsAdmin(String sql) throws SQLException {
    try (Connection c = t.admin().getConnection()) {
      return count(c, sql);
    }
  }
}
