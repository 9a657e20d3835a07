package io.crmkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.crmkit.core.platform.Plan;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class RuntimeConnectionTest {

  @Test
  void runtimeDataSourceConnectsAsTheConfinedRuntimeRole() throws SQLException {
    try (CrmTestKit kit = CrmTestKit.start();
        Connection c = kit.runtimeDataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("""
            select current_user, r.rolsuper, r.rolbypassrls,
                   pg_has_role(current_user, 'crm_owner', 'MEMBER') as owner_member
              from pg_roles r
             where r.rolname = current_user
            """)) {
      assertThat(rs.next()).as("current_user is in pg_roles").isTrue();
      assertThat(rs.getString("current_user")).isEqualTo("crm_app");
      assertThat(rs.getBoolean("rolsuper")).as("runtime role is a superuser").isFalse();
      assertThat(rs.getBoolean("rolbypassrls")).as("runtime role bypasses RLS").isFalse();
      assertThat(rs.getBoolean("owner_member")).as("runtime role is a member of the owner").isFalse();
      assertThat(kit.crm().runtimeRole()).isEqualTo("crm_app");
    }
  }

  @Test
  void crmIsMigratedAndReadsTheCatalogAsTheRuntimeRole() {
    try (CrmTestKit kit = CrmTestKit.start()) {
      assertThatCode(() -> kit.crm().validateSchema()).as("schema matches the shipped migrations")
          .doesNotThrowAnyException();
      assertThat(kit.crm().modules()).contains("core");
      assertThat(kit.crm().platform().plans()).extracting(Plan::slug)
          .containsExactly("free", "lite", "professional", "business", "enterprise");
    }
  }

  @Test
  void runtimeConnectionWithoutTenantSeesNoOrganizations() throws SQLException {
    try (CrmTestKit kit = CrmTestKit.start()) {
      kit.provisionOrganization("acme");
      kit.provisionOrganization("globex");
      try (Connection c = kit.runtimeDataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select count(*) from " + kit.crm().schema() + ".organizations")) {
        rs.next();
        assertThat(rs.getLong(1)).as("organizations visible to crm_app with no tenant set").isZero();
      }
      try (Connection c = kit.adminDataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select count(*) from " + kit.crm().schema() + ".organizations")) {
        rs.next();
        assertThat(rs.getLong(1)).as("organizations the superuser sees").isEqualTo(2);
      }
    }
  }

  @Test
  void jdbcUrlNamesTheKitsDatabase() throws SQLException {
    try (CrmTestKit kit = CrmTestKit.start();
        Connection c = kit.runtimeDataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select current_database()")) {
      rs.next();
      assertThat(kit.jdbcUrl()).startsWith("jdbc:postgresql://").endsWith("/" + rs.getString(1));
    }
  }
}
