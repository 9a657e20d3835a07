package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.exception.CrmException;
import io.crmkit.core.platform.ProvisionedOrganization;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Crm refuses to start on a runtime role that row-level security does not apply to. */
class RuntimeRoleTest {
  private static TestCrm t;

  @BeforeAll
  static void setUp() {
    t = TestCrm.start();
    // Roles are cluster-wide; create them once, idempotently.
    t.executeAsAdmin("""
        DO $$ BEGIN
          BEGIN CREATE ROLE crm_test_super LOGIN SUPERUSER PASSWORD 'x'; EXCEPTION WHEN duplicate_object THEN NULL; END;
          BEGIN CREATE ROLE crm_test_bypass LOGIN BYPASSRLS PASSWORD 'x'; EXCEPTION WHEN duplicate_object THEN NULL; END;
          BEGIN CREATE ROLE crm_test_member LOGIN PASSWORD 'x'; EXCEPTION WHEN duplicate_object THEN NULL; END;
        END $$""");
    t.executeAsAdmin("GRANT crm_owner TO crm_test_member");
    t.executeAsAdmin("GRANT CONNECT ON DATABASE " + t.database.name() + " TO crm_test_bypass, crm_test_member");
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  @Test
  void refusesASuperuser() {
    assertThatThrownBy(() -> Crm.builder().dataSource(t.database.loginDataSource("crm_test_super", "x")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("\"crm_test_super\"").hasMessageContaining("superuser")
        .hasMessageContaining("NOSUPERUSER NOBYPASSRLS");
  }

  @Test
  void refusesABypassRlsRole() {
    assertThatThrownBy(() -> Crm.builder().dataSource(t.database.loginDataSource("crm_test_bypass", "x")).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("BYPASSRLS");
  }

  @Test
  void refusesAMemberOfTheOwnerRole() {
    assertThatThrownBy(() -> Crm.builder().dataSource(t.database.loginDataSource("crm_test_member", "x")).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("member of the owner role crm_owner");
  }

  @Test
  void aMemberOfTheOwnerReallyWouldSeeEveryTenant() throws Exception {
    // Why the check exists: RLS does not apply to the owner, nor to its members.
    t.provision();
    t.provision();
    try (Crm admin = Crm.builder().dataSource(t.database.loginDataSource("crm_test_member", "x"))
        .allowPrivilegedRuntimeRole().build();
        Connection c = t.database.loginDataSource("crm_test_member", "x").getConnection();
        Statement s = c.createStatement()) {
      assertThat(admin.runtimeRole()).isEqualTo("crm_test_member");
      // No SET ROLE: membership alone (with INHERIT, the default) makes RLS not apply.
      try (ResultSet rs = s.executeQuery("select count(distinct organization_id) from crm.users")) {
        rs.next();
        assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(2);
      }
    }
  }

  @Test
  void aPrivilegedCrmMustNameTheRuntimeRoleBeforeItMigrates() {
    try (Crm tooling = Crm.builder().dataSource(t.admin()).migrationDataSource(t.admin())
        .allowPrivilegedRuntimeRole().build()) {
      assertThatThrownBy(tooling::migrate).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("runtimeRole");
    }
    try (Crm tooling = Crm.builder().dataSource(t.admin()).migrationDataSource(t.admin())
        .allowPrivilegedRuntimeRole().runtimeRole("crm_app").build()) {
      assertThat(tooling.migrations().get(0).configuration().getPlaceholders())
          .containsEntry("runtime_role", "\"crm_app\"");
      tooling.migrate();
    }
    assertThatThrownBy(() -> Crm.builder().dataSource(t.runtime()).runtimeRole("someone_else").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("someone_else");
  }

  @Test
  void acceptsTheRuntimeRole() {
    try (Crm crm = Crm.builder().dataSource(t.runtime()).build()) {
      assertThat(crm.runtimeRole()).isEqualTo("crm_app");
    }
  }

  @Test
  void fromAJdbcUrlCrmOwnsItsPoolAndClosesIt() throws Exception {
    Crm crm = Crm.builder().jdbcUrl(t.database.jdbcUrl(), "crm_app", "crm_app").build();
    ProvisionedOrganization org = t.provision();
    assertThat(crm.tenant(org.organization().id()).as(org.admin().id()).users().list()).hasSize(1);
    crm.close();
    assertThatThrownBy(() -> crm.tenant(org.organization().id()).as(org.admin().id()).users().list())
        .as("the pool Crm created is closed with it").isInstanceOf(CrmException.class)
        .hasCauseInstanceOf(java.sql.SQLException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> Crm.builder().jdbcUrl(t.database.jdbcUrl(), "postgres", null).build())
        .as("the runtime-role check applies to the pool it creates too")
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("superuser");
  }

  @Test
  void invalidConfigurationIsRefusedNamingTheProperty() {
    assertThatThrownBy(() -> Crm.builder().build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dataSource");
    assertThatThrownBy(() -> Crm.builder().dataSource(t.runtime()).schema("crm; drop table x").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema");
    assertThatThrownBy(() -> Crm.builder().dataSource(t.runtime()).ownerRole("Owner").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ownerRole");
    assertThatThrownBy(() -> Crm.builder().dataSource(t.runtime()).invitationTtl(java.time.Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invitationTtl");
    assertThatThrownBy(() -> Crm.builder().dataSource(t.runtime()).build().migrate())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("migrationDataSource");
  }
}
