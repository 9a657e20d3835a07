package io.crmkit.examples.quickstart;

import io.crmkit.core.Crm;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The quickstart on a PostgreSQL of your own ({@code CRM_JDBC_URL}): the owner and runtime roles
 * created if they are missing, and the two DataSources CRMKit takes, one privileged (migrations),
 * one as the runtime role (everything tenants do).
 *
 * @param privileged the login {@code CRM_JDBC_USER} names: migrations run through it
 * @param runtime the same database as {@value #RUNTIME_ROLE}, which row-level security applies to
 */
public record QuickstartDatabase(PGSimpleDataSource privileged, PGSimpleDataSource runtime) {
  /** The NOLOGIN role that owns CRMKit's schema. */
  public static final String OWNER_ROLE = Crm.DEFAULT_OWNER_ROLE;
  /** The login role the application connects as; row-level security applies to it. */
  public static final String RUNTIME_ROLE = "crm_app";
  /** The runtime role's password when {@code CRM_RUNTIME_PASSWORD} is not set. */
  public static final String DEFAULT_RUNTIME_PASSWORD = "crm_app";

  /** The database {@code url} names, its roles created if missing; says which, without the password. */
  static QuickstartDatabase external(String url) {
    PGSimpleDataSource privileged = dataSource(url, environment("CRM_JDBC_USER"), environment("CRM_JDBC_PASSWORD"));
    String runtimePassword = Optional.ofNullable(environment("CRM_RUNTIME_PASSWORD")).orElse(DEFAULT_RUNTIME_PASSWORD);
    createRolesIfMissing(privileged, OWNER_ROLE, RUNTIME_ROLE, runtimePassword);
    // Same host and database, but as the runtime role: a real application would put its pool
    // (HikariCP, …) here; a plain DataSource keeps the example short.
    PGSimpleDataSource runtime = dataSource(url, RUNTIME_ROLE, runtimePassword);
    // Host, port and database only: the URL itself may carry a password.
    System.out.println("Using database " + privileged.getDatabaseName() + " on " + privileged.getServerNames()[0]
        + ":" + privileged.getPortNumbers()[0] + "; tenants' work runs as " + RUNTIME_ROLE + ".");
    return new QuickstartDatabase(privileged, runtime);
  }

  /**
   * Creates the owner role (NOLOGIN) and the runtime role (LOGIN NOSUPERUSER NOBYPASSRLS) unless
   * they exist, granting nothing: the migrations grant the runtime role what it needs.
   */
  static void createRolesIfMissing(DataSource privileged, String ownerRole, String runtimeRole, String password) {
    // A DO block takes no parameters, so the names and the password travel as session settings
    // and format() quotes them: nothing is pasted into SQL text. Catching duplicate_object makes
    // it idempotent.
    String sql = """
        DO $$
        BEGIN
          BEGIN
            EXECUTE format('CREATE ROLE %I NOLOGIN', current_setting('quickstart.owner_role'));
          EXCEPTION WHEN duplicate_object THEN NULL;
          END;
          BEGIN
            EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD %L',
                current_setting('quickstart.runtime_role'), current_setting('quickstart.runtime_password'));
          EXCEPTION WHEN duplicate_object THEN NULL;
          END;
        END
        $$""";
    try (Connection c = privileged.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement(
          "select set_config('quickstart.owner_role', ?, false), set_config('quickstart.runtime_role', ?, false),"
              + " set_config('quickstart.runtime_password', ?, false)")) {
        ps.setString(1, ownerRole);
        ps.setString(2, runtimeRole);
        ps.setString(3, password);
        ps.execute();
      }
      try (Statement s = c.createStatement()) {
        s.execute(sql);
        s.execute("reset quickstart.runtime_password");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the roles " + ownerRole + " and " + runtimeRole
          + " (the CRM_JDBC_URL login needs CREATEROLE or superuser): " + e.getMessage(), e);
    }
  }

  private static PGSimpleDataSource dataSource(String url, String user, String password) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(url);
    // Set after the URL so they win over a user or password written in it.
    if (user != null) {
      ds.setUser(user);
    }
    if (password != null) {
      ds.setPassword(password);
    }
    return ds;
  }

  /** An environment variable, trimmed; null when it is not set or blank. */
  static String environment(String name) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? null : value.trim();
  }
}
