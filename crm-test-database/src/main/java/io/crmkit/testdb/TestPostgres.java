package io.crmkit.testdb;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server that tests in this JVM use, and the source of fresh databases on it.
 *
 * <pre>{@code
 * try (TestDatabase db = TestPostgres.shared().createDatabase()) {
 *   DataSource runtime = db.runtimeDataSource(); // connects as the role that cannot bypass RLS
 * }
 * }</pre>
 *
 * <p>The server is chosen once per JVM, in this order:
 * <ol>
 *   <li>an external server, when {@value #JDBC_URL_VARIABLE} (or the system property
 *       {@value #JDBC_URL_PROPERTY}) holds a JDBC URL of a privileged login, for example
 *       {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres};</li>
 *   <li>a Testcontainers container, when {@value #IMAGE_VARIABLE} (or {@value #IMAGE_PROPERTY})
 *       names an image such as {@code postgres:15}; Docker must then be running, else this fails;</li>
 *   <li>otherwise embedded PostgreSQL 17, started once and stopped when the JVM exits.</li>
 * </ol>
 *
 * <p>On every server it makes sure the owner role {@value #OWNER_ROLE} (NOLOGIN) and the runtime
 * role {@value #RUNTIME_ROLE} (LOGIN, neither superuser nor BYPASSRLS nor a member of the owner)
 * exist. Thread-safe.
 */
public final class TestPostgres {
  /** Environment variable naming an external server's privileged JDBC URL. */
  public static final String JDBC_URL_VARIABLE = "CRM_TEST_JDBC_URL";
  /** System property naming an external server's privileged JDBC URL. */
  public static final String JDBC_URL_PROPERTY = "crm.test.jdbc-url";
  /** Environment variable naming a Docker image to run with Testcontainers. */
  public static final String IMAGE_VARIABLE = "CRM_TEST_IMAGE";
  /** System property naming a Docker image to run with Testcontainers. */
  public static final String IMAGE_PROPERTY = "crm.test.image";
  /** The role that owns the CRM schema, its tables and functions. */
  public static final String OWNER_ROLE = "crm_owner";
  /** The role the application connects as; row-level security applies to it. */
  public static final String RUNTIME_ROLE = "crm_app";
  /** The runtime role's password on test servers. */
  public static final String RUNTIME_PASSWORD = "crm_app";

  private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);
  private static volatile TestPostgres shared;

  private final PostgresServer server;

  private TestPostgres(PostgresServer server) {
    this.server = server;
    ensureRoles();
  }

  /**
   * Returns this JVM's server, starting or connecting to it on first use.
   *
   * @throws IllegalStateException if the chosen server cannot be reached or started
   */
  public static TestPostgres shared() {
    TestPostgres result = shared;
    if (result == null) {
      synchronized (TestPostgres.class) {
        result = shared;
        if (result == null) {
          result = new TestPostgres(choose(TestPostgres::setting));
          shared = result;
        }
      }
    }
    return result;
  }

  /** A TestPostgres over a server of a test's own (see {@link RestartableServer}), its roles made sure of. */
  static TestPostgres over(PostgresServer server) {
    return new TestPostgres(server);
  }

  static PostgresServer choose(Function<String, String> settings) {
    String url = settings.apply(JDBC_URL_PROPERTY);
    if (url != null) {
      return new ExternalServer(url);
    }
    String image = settings.apply(IMAGE_PROPERTY);
    if (image != null) {
      return ContainerServer.start(image);
    }
    return EmbeddedServer.start();
  }

  private static String setting(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      String variable = property.equals(JDBC_URL_PROPERTY) ? JDBC_URL_VARIABLE : IMAGE_VARIABLE;
      value = System.getenv(variable);
    }
    return value == null || value.isBlank() ? null : value.trim();
  }

  /**
   * Stops this JVM's server now if this JVM started it (embedded or container); an external server
   * is left alone. For programs whose JVM does not run shutdown hooks reliably, such as
   * {@code mvn exec:java}; tests need not call it. The next {@link #shared()} starts a new one.
   */
  public static void stop() {
    synchronized (TestPostgres.class) {
      if (shared != null) {
        shared.server.stop();
        shared = null;
      }
    }
  }

  /** Which provider serves this JVM: {@code external}, {@code testcontainers} or {@code embedded}. */
  public String provider() {
    return server.provider();
  }

  /** The server's {@code server_version_num}, e.g. 150020 for 15.20. */
  public int serverVersionNumber() {
    try (Connection c = server.adminDataSource("postgres").getConnection();
        Statement s = c.createStatement();
        var rs = s.executeQuery("show server_version_num")) {
      rs.next();
      return Integer.parseInt(rs.getString(1));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the server version from " + server.provider(), e);
    }
  }

  /**
   * Creates an empty database with UTF-8 encoding and a {@code C.UTF-8} collation and ctype,
   * so that character classes (and with them trigram search) work for non-Latin text.
   * Closing the returned database drops it.
   */
  public TestDatabase createDatabase() {
    String name = "crm_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    execute("postgres", "CREATE DATABASE " + name
        + " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'");
    log.debug("created test database {} on the {} server", name, server.provider());
    return new TestDatabase(this, server, name);
  }

  void dropDatabase(String name) {
    execute("postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  void execute(String database, String sql) {
    try (Connection c = server.adminDataSource(database).getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("failed on the " + server.provider() + " server: " + sql, e);
    }
  }

  private void ensureRoles() {
    // Roles are cluster-wide and may survive from an earlier run on an external server;
    // ALTER puts back the attributes a test role must have whatever an earlier run left.
    String sql = String.format(Locale.ROOT, """
        DO $$
        BEGIN
          BEGIN
            CREATE ROLE %1$s NOLOGIN;
          EXCEPTION WHEN duplicate_object THEN NULL;
          END;
          BEGIN
            CREATE ROLE %2$s LOGIN;
          EXCEPTION WHEN duplicate_object THEN NULL;
          END;
          ALTER ROLE %1$s NOLOGIN NOSUPERUSER NOBYPASSRLS;
          ALTER ROLE %2$s LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB PASSWORD '%3$s';
          IF pg_has_role('%2$s', '%1$s', 'MEMBER') THEN
            EXECUTE 'REVOKE %1$s FROM %2$s';
          END IF;
        END
        $$""", OWNER_ROLE, RUNTIME_ROLE, RUNTIME_PASSWORD);
    Objects.requireNonNull(sql);
    synchronized (TestPostgres.class) {
      execute("postgres", sql);
    }
  }
}
