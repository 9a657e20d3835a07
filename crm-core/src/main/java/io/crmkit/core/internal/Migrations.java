package io.crmkit.core.internal;

import io.crmkit.core.customers.Customer;
import io.crmkit.core.spi.CrmModule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.ValidateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each module's own Flyway: its own location and history table, in dependency order.
 *
 * <p>Why per module, and why baselineVersion 0: with one shared history a module added later
 * would find a non-empty schema and Flyway would refuse it; with {@code baselineOnMigrate} and
 * the default baseline version 1 it would silently skip that module's {@code V1__}. Baselining at
 * 0 makes an existing schema acceptable while still running every module's V1.
 */
public final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  private static final String LOCK_PREFIX = "crmkit.migrate:";

  private Migrations() {}

  /** One ready Flyway configuration per module, in the order they must run. */
  public static List<Map.Entry<String, FluentConfiguration>> configurations(DataSource migrationDataSource,
      String schema, String ownerRole, String runtimeRole, List<CrmModule> modules, ClassLoader classLoader) {
    List<Map.Entry<String, FluentConfiguration>> result = new ArrayList<>();
    for (CrmModule module : modules) {
      FluentConfiguration configuration = Flyway.configure(classLoader)
          .dataSource(new OwnerRoleDataSource(migrationDataSource, ownerRole))
          .schemas(schema)
          .defaultSchema(schema)
          .createSchemas(false)
          .table("flyway_history_" + module.name())
          .locations(module.migrationLocation())
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .placeholders(Map.of(
              "schema", SqlIdentifiers.quote(schema),
              "owner_role", SqlIdentifiers.quote(ownerRole),
              "runtime_role", SqlIdentifiers.quote(runtimeRole),
              "trgm_schema", SqlIdentifiers.quote(trigramSchema(migrationDataSource, schema))))
          .validateMigrationNaming(true)
          .cleanDisabled(true);
      result.add(Map.entry(module.name(), configuration));
    }
    return result;
  }

  /**
   * Creates the schema (owned by the owner role) if it is missing, then migrates every module.
   * The whole run holds a PostgreSQL advisory lock named for the schema, so concurrent start-ups
   * (several instances of the host app) wait for each other instead of racing on CREATE SCHEMA
   * or on a second module's history table. The lock holds one connection of the migration
   * DataSource while Flyway takes others: a pool there needs at least two.
   */
  public static void migrate(DataSource migrationDataSource, String schema, String ownerRole, String runtimeRole,
      List<CrmModule> modules, ClassLoader classLoader) {
    try (Connection lock = migrationDataSource.getConnection()) {
      boolean autoCommit = lock.getAutoCommit();
      // The lock is session-level and CREATE SCHEMA must be visible to Flyway's own connections.
      lock.setAutoCommit(true);
      try (PreparedStatement ps = lock.prepareStatement("select pg_advisory_lock(hashtext(?))")) {
        ps.setString(1, LOCK_PREFIX + schema);
        ps.execute();
      }
      try {
        createSchema(lock, schema, ownerRole);
        for (var entry : configurations(migrationDataSource, schema, ownerRole, runtimeRole, modules, classLoader)) {
          var flyway = entry.getValue().load();
          var result = flyway.migrate();
          var current = flyway.info().current();
          log.info("module {}: {} migration(s) applied, now at version {}", entry.getKey(),
              result.migrationsExecuted, current == null ? "none" : current.getVersion());
        }
      } finally {
        try (PreparedStatement ps = lock.prepareStatement("select pg_advisory_unlock(hashtext(?))")) {
          ps.setString(1, LOCK_PREFIX + schema);
          ps.execute();
          lock.setAutoCommit(autoCommit);
        } catch (SQLException e) {
          // Closing the session releases the lock anyway; do not hide the migration's own error.
          log.debug("releasing the migration lock failed", e);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot migrate schema " + schema + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks, without changing anything, that every module's migrations have been applied as they
   * are in the jars: for hosts whose DBAs apply the DDL.
   *
   * @throws IllegalStateException naming the module and what is off
   */
  public static void validate(DataSource migrationDataSource, String schema, String ownerRole, String runtimeRole,
      List<CrmModule> modules, ClassLoader classLoader) {
    for (var entry : configurations(migrationDataSource, schema, ownerRole, runtimeRole, modules, classLoader)) {
      ValidateResult result = entry.getValue().load().validateWithResult();
      if (!result.validationSuccessful) {
        StringBuilder why = new StringBuilder();
        result.invalidMigrations.forEach(m -> why.append("\n  ").append(m.version).append(' ')
            .append(m.description).append(": ").append(m.errorDetails.errorMessage));
        throw new IllegalStateException("the CRMKit schema is not up to date for module " + entry.getKey()
            + ": " + (why.length() == 0 ? result.getAllErrorMessages() : why.toString()));
      }
    }
  }

  /** The schema pg_trgm is installed in; CRMKit's own when it is not installed yet. */
  static String trigramSchema(DataSource dataSource, String schema) {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("select n.nspname from pg_extension e"
            + " join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'")) {
      return rs.next() ? rs.getString(1) : schema;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot look up the pg_trgm extension: " + e.getMessage(), e);
    }
  }

  private static void createSchema(Connection c, String schema, String ownerRole) {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS " + SqlIdentifiers.quote(schema) + " AUTHORIZATION "
          + SqlIdentifiers.quote(ownerRole));
      // Customer search needs pg_trgm (a trusted extension: CREATE on the database suffices). If
      // the host has it already, in any schema, that one is used (see trigramSchema).
      s.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA " + SqlIdentifiers.quote(schema));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create schema " + schema + " owned by " + ownerRole
          + " through the migration connection (it must be a member of " + ownerRole
          + " with CREATE on the database): " + e.getMessage(), e);
    }
  }
}
