package io.crmkit.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The roles the example creates on a CRM_JDBC_URL server, checked under throwaway names. */
class RoleCreationTest {

  @Test
  void createsAConfinedRuntimeRoleAndANologinOwnerOnlyWhenMissing() throws SQLException {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String owner = "qs_owner_" + suffix;
    String runtime = "qs_app_" + suffix;
    try (TestDatabase db = TestPostgres.shared().createDatabase()) {
      try {
        QuickstartDatabase.createRolesIfMissing(db.adminDataSource(), owner, runtime, "it's a secret");
        String verifier = passwordVerifier(db.adminDataSource(), runtime);
        assertThatCode(() -> QuickstartDatabase.createRolesIfMissing(db.adminDataSource(), owner, runtime, "other"))
            .as("second run with the roles in place").doesNotThrowAnyException();

        assertThat(attributes(db.adminDataSource(), owner)).as("owner role").isEqualTo("nologin");
        assertThat(attributes(db.adminDataSource(), runtime)).as("runtime role").isEqualTo("login");
        assertThat(isMember(db.adminDataSource(), runtime, owner)).as("runtime role is a member of the owner")
            .isFalse();
        assertThat(verifier).as("runtime role's password verifier").startsWith("SCRAM-SHA-256$");
        assertThat(passwordVerifier(db.adminDataSource(), runtime)).as("password after the second run")
            .isEqualTo(verifier);
      } finally {
        db.executeAsAdmin("DROP ROLE IF EXISTS " + runtime);
        db.executeAsAdmin("DROP ROLE IF EXISTS " + owner);
      }
    }
  }

  /** "login" or "nologin", followed by any privilege that would let the role bypass RLS. */
  private static String attributes(DataSource admin, String role) throws SQLException {
    try (Connection c = admin.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "select rolcanlogin, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb from pg_roles where rolname = ?")) {
      ps.setString(1, role);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("role %s exists", role).isTrue();
        StringBuilder result = new StringBuilder(rs.getBoolean(1) ? "login" : "nologin");
        String[] privileges = {"superuser", "bypassrls", "createrole", "createdb"};
        for (int i = 0; i < privileges.length; i++) {
          if (rs.getBoolean(i + 2)) {
            result.append(' ').append(privileges[i]);
          }
        }
        return result.toString();
      }
    }
  }

  private static boolean isMember(DataSource admin, String role, String group) throws SQLException {
    try (Connection c = admin.getConnection();
        PreparedStatement ps = c.prepareStatement("select pg_has_role(?, ?, 'MEMBER')")) {
      ps.setString(1, role);
      ps.setString(2, group);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private static String passwordVerifier(DataSource admin, String role) throws SQLException {
    try (Connection c = admin.getConnection();
        PreparedStatement ps = c.prepareStatement("select rolpassword from pg_authid where rolname = ?")) {
      ps.setString(1, role);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }
}
