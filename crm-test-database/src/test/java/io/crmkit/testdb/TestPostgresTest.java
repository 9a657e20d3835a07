package io.crmkit.testdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestPostgresTest {

  @Test
  void freshDatabaseIsUtf8WithACharacterAwareCtype() throws SQLException {
    try (TestDatabase db = TestPostgres.shared().createDatabase();
        Connection c = db.runtimeDataSource().getConnection();
        ResultSet rs = c.createStatement().executeQuery(
            "select pg_encoding_to_char(encoding), datctype from pg_database where datname = current_database()")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("UTF8");
      assertThat(rs.getString(2)).isEqualTo("C.UTF-8");
    }
  }

  @Test
  void runtimeRoleCannotBypassRowLevelSecurity() throws SQLException {
    try (TestDatabase db = TestPostgres.shared().createDatabase();
        Connection c = db.runtimeDataSource().getConnection();
        ResultSet rs = c.createStatement().executeQuery(
            "select current_user, rolsuper, rolbypassrls, pg_has_role(current_user, 'crm_owner', 'MEMBER')"
                + " from pg_roles where rolname = current_user")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(TestPostgres.RUNTIME_ROLE);
      assertThat(rs.getBoolean(2)).as("superuser").isFalse();
      assertThat(rs.getBoolean(3)).as("bypassrls").isFalse();
      assertThat(rs.getBoolean(4)).as("member of the owner").isFalse();
    }
  }

  @Test
  void closingDropsTheDatabase() throws SQLException {
    TestDatabase db = TestPostgres.shared().createDatabase();
    String name = db.name();
    db.close();
    try (TestDatabase other = TestPostgres.shared().createDatabase();
        Connection c = other.adminDataSource().getConnection();
        var ps = c.prepareStatement("select count(*) from pg_database where datname = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
      }
    }
  }

  @Test
  void anExternalUrlWinsOverEverythingElse() {
    PostgresServer server = TestPostgres.choose(Map.of(
        TestPostgres.JDBC_URL_PROPERTY, "jdbc:postgresql://db.example:6543/postgres?user=admin",
        TestPostgres.IMAGE_PROPERTY, "postgres:15")::get);
    assertThat(server.provider()).isEqualTo("external");
    assertThat(server.jdbcUrl("x")).isEqualTo("jdbc:postgresql://db.example:6543/x");
  }

  @Test
  void anImageMeansTestcontainersAndNeedsDocker() throws SQLException {
    // Deterministic per machine: with Docker the image runs; without, a clear error instead of a
    // silent fall-back to another server version.
    if (org.testcontainers.DockerClientFactory.instance().isDockerAvailable()) {
      PostgresServer server = TestPostgres.choose(Map.of(TestPostgres.IMAGE_PROPERTY, "postgres:15")::get);
      assertThat(server.provider()).isEqualTo("testcontainers");
      try (Connection c = server.adminDataSource("postgres").getConnection();
          ResultSet rs = c.createStatement().executeQuery("show server_version_num")) {
        rs.next();
        assertThat(rs.getInt(1)).isBetween(150000, 159999);
      }
    } else {
      assertThatThrownBy(() -> TestPostgres.choose(Map.of(TestPostgres.IMAGE_PROPERTY, "postgres:15")::get))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(TestPostgres.IMAGE_VARIABLE).hasMessageContaining("no Docker engine");
    }
  }

  @Test
  void rejectsAnExternalUrlThatIsNotPostgres() {
    assertThatThrownBy(() -> TestPostgres.choose(Map.of(
        TestPostgres.JDBC_URL_PROPERTY, "jdbc:mysql://localhost/db")::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(TestPostgres.JDBC_URL_VARIABLE);
  }
}
