package io.crmkit.testdb;

import static io.crmkit.testdb.TenantTables.ident;
import static io.crmkit.testdb.TenantTables.qualified;

import io.crmkit.testdb.TenancyViolation.Rule;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attack on every tenant table of a migrated schema, through plain JDBC as the runtime role:
 * with no tenant set nothing is visible; with tenant B set as CRMKit sets it
 * ({@code set_config('app.current_organization_id', B, true)} first in the transaction), a row of
 * tenant A is read by its key, updated, deleted, and referenced by a copy of one of A's rows of each
 * child table moved to B; each must find nothing or be refused, and A's rows (compared as the
 * superuser before and after) must not change. Each table's attempts commit, so whatever got
 * through is there to see.
 *
 * <p>The runtime role is taken with {@code SET ROLE} on a superuser connection, so no password is
 * needed; row security and privileges are then the runtime role's. Tables are those of
 * {@link TenancyCatalog}: tenant tables and the tenant root, without the listed exceptions.
 */
public final class TenancyAttack {
  private static final Logger log = LoggerFactory.getLogger(TenancyAttack.class);

  private TenancyAttack() {}

  /**
   * One attempt and what came of it.
   *
   * @param table the table attacked
   * @param action what was tried, e.g. {@code update A's row}
   * @param outcome what happened, e.g. {@code 0 rows} or {@code refused by a grant (42501)}
   */
  public record Step(String table, String action, String outcome) {
    /** Creates a step. */
    public Step {
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(outcome, "outcome");
    }
  }

  /**
   * What the attack found.
   *
   * @param violations what got through, or what the attack could not try (a table without a row of A)
   * @param steps every attempt, in order, with its outcome
   */
  public record Report(List<TenancyViolation> violations, List<Step> steps) {
    /** Creates a report; the lists are copied. */
    public Report {
      violations = List.copyOf(violations);
      steps = List.copyOf(steps);
    }
  }

  /**
   * Attacks every tenant table of {@code schema}.
   *
   * @param admin superuser connections to the migrated database
   * @param schema the schema attacked, e.g. {@code crm}
   * @param runtimeRole the role the application connects as
   * @param exceptions tables that are deliberately not tenant tables
   * @param tenantA the tenant whose rows are attacked: it needs a row in every tenant table
   * @param tenantB the attacking tenant; best one with no rows of its own but those provisioning
   *     gives it, so that a copy of A's row collides with none of B's unique values
   * @throws IllegalArgumentException if the two tenants are the same
   * @throws IllegalStateException if the database cannot be reached or the catalog read
   */
  public static Report run(DataSource admin, String schema, String runtimeRole, Set<String> exceptions,
      UUID tenantA, UUID tenantB) {
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(runtimeRole, "runtimeRole");
    if (tenantA.equals(tenantB)) {
      throw new IllegalArgumentException("tenants A and B are the same: " + tenantA);
    }
    try (Connection superuser = admin.getConnection(); Connection runtime = admin.getConnection()) {
      try (Statement s = runtime.createStatement()) {
        s.execute("set role " + ident(runtimeRole));
      }
      try {
        return attack(superuser, runtime, schema, runtimeRole, exceptions, tenantA, tenantB);
      } finally {
        // A pooled superuser connection must not go back as the runtime role.
        try (Statement s = runtime.createStatement()) {
          s.execute("reset role");
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot attack the tenant tables of schema " + schema, e);
    }
  }

  private static Report attack(Connection superuser, Connection runtime, String schema, String runtimeRole,
      Set<String> exceptions, UUID tenantA, UUID tenantB) throws SQLException {
    List<TenantTables.Table> tables = TenantTables.of(superuser, schema, exceptions);
    List<TenantTables.ForeignKey> keys = TenantTables.foreignKeys(superuser, schema, tables);
    Map<String, String> before = fingerprints(superuser, schema, tables, tenantA);
    List<TenancyViolation> violations = new ArrayList<>();
    List<Step> steps = new ArrayList<>();
    for (TenantTables.Table table : tables) {
      new TableAttack(superuser, runtime, schema, runtimeRole, tenantA, tenantB, violations, steps)
          .attack(table, tables, keys);
    }
    Map<String, String> after = fingerprints(superuser, schema, tables, tenantA);
    before.forEach((table, rows) -> {
      if (!rows.equals(after.get(table))) {
        violations.add(new TenancyViolation(table, Rule.UNCHANGED,
            "A's rows changed during the attack (rows and digest " + rows + " before, " + after.get(table) + " after)"));
      }
    });
    steps.forEach(step -> log.debug("{}: {} -> {}", step.table(), step.action(), step.outcome()));
    return new Report(violations, steps);
  }

  /** For each table, the number of A's rows and a digest of them all, read as the superuser. */
  private static Map<String, String> fingerprints(Connection superuser, String schema,
      List<TenantTables.Table> tables, UUID tenant) throws SQLException {
    Map<String, String> result = new LinkedHashMap<>();
    for (TenantTables.Table table : tables) {
      result.put(table.name(), TenantTables.query(superuser, "select count(*) || ' ' || coalesce(md5(string_agg("
          + "to_jsonb(t)::text, ',' order by to_jsonb(t)::text)), '-') from " + qualified(schema, table.name())
          + " t where t." + ident(table.tenantColumn()) + " = ?", tenant).get(0).get(0));
    }
    return result;
  }
}
