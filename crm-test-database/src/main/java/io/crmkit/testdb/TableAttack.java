package io.crmkit.testdb;

import static io.crmkit.testdb.TenantTables.ident;
import static io.crmkit.testdb.TenantTables.literal;
import static io.crmkit.testdb.TenantTables.qualified;

import io.crmkit.testdb.TenancyAttack.Step;
import io.crmkit.testdb.TenancyViolation.Rule;
import io.crmkit.testdb.TenantTables.Column;
import io.crmkit.testdb.TenantTables.ForeignKey;
import io.crmkit.testdb.TenantTables.Table;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.postgresql.util.PSQLException;

/**
 * The attempts on one tenant table, in one transaction of the runtime role that commits at the
 * end; each attempt in a savepoint, so a refused one leaves the others to run.
 */
final class TableAttack {
  private final Connection superuser;
  private final Connection runtime;
  private final String schema;
  private final String runtimeRole;
  private final UUID tenantA;
  private final UUID tenantB;
  private final List<TenancyViolation> violations;
  private final List<Step> steps;

  TableAttack(Connection superuser, Connection runtime, String schema, String runtimeRole, UUID tenantA,
      UUID tenantB, List<TenancyViolation> violations, List<Step> steps) {
    this.superuser = superuser;
    this.runtime = runtime;
    this.schema = schema;
    this.runtimeRole = runtimeRole;
    this.tenantA = tenantA;
    this.tenantB = tenantB;
    this.violations = violations;
    this.steps = steps;
  }

  /** What a statement did: a count or a number of rows, or the SQLSTATE and constraint that refused it. */
  private record Outcome(long rows, String sqlState, String constraint) {
    boolean refused() {
      return sqlState != null;
    }

    @Override
    public String toString() {
      if (!refused()) {
        return rows + " rows";
      }
      String by = switch (sqlState) {
        case "42501" -> "refused by a grant or row security";
        case "23503" -> "refused by foreign key " + constraint;
        default -> "refused";
      };
      return by + " (" + sqlState + ")";
    }
  }

  void attack(Table table, List<Table> tables, List<ForeignKey> keys) throws SQLException {
    String name = table.name();
    String from = qualified(schema, name);
    runtime.setAutoCommit(false);
    try {
      expectNothing(name, Rule.READ, "read without a tenant", run("select count(*) from " + from));
      run("select set_config('app.current_organization_id', ?, true)", tenantB.toString());
      expectNothing(name, Rule.READ, "read other tenants' rows as B",
          run("select count(*) from " + from + " where " + ident(table.tenantColumn()) + " is distinct from ?", tenantB));
      Optional<List<String>> key = keyOfA(table);
      if (key.isEmpty()) {
        violations.add(new TenancyViolation(name, Rule.FIXTURE, "tenant A has no row here, so the attack could not try it"));
      } else {
        String byKey = table.primaryKey().stream()
            .map(column -> ident(column) + " = ?::" + table.column(column).type()).collect(Collectors.joining(" and "));
        Object[] values = key.get().toArray();
        expectNothing(name, Rule.READ, "read A's row by its key as B", run("select count(*) from " + from + " where " + byKey, values));
        String column = updatableColumn(table);
        expectNothing(name, Rule.UPDATE, "update A's row as B (set " + column + ")",
            run("update " + from + " set " + ident(column) + " = " + ident(column) + " where " + byKey, values));
        expectNothing(name, Rule.DELETE, "delete A's row as B", run("delete from " + from + " where " + byKey, values));
      }
      for (ForeignKey reference : keys) {
        if (reference.parent().equals(name) && !ownColumns(reference, tableNamed(tables, reference.child())).isEmpty()) {
          reference(tableNamed(tables, reference.child()), table, reference, keys, tables);
        }
      }
      runtime.commit();
    } catch (SQLException e) {
      runtime.rollback();
      throw e;
    } finally {
      runtime.setAutoCommit(true);
    }
  }

  /**
   * B inserts a copy of a row of A's in {@code child} that references A's row of {@code parent},
   * moved to B and with a fresh key. First with the child's other references pointing at B's rows
   * (or empty), so that the reference tried is the one checked; if that fails for another reason
   * (a check, a unique key), again with only the tenant and the key changed.
   */
  private void reference(Table child, Table parent, ForeignKey reference, List<ForeignKey> keys, List<Table> tables)
      throws SQLException {
    String action = "insert into " + child.name() + " as B a row referencing A's " + parent.name() + " by "
        + reference.name();
    Optional<String> row = rowOfAReferencing(child, parent, reference);
    if (row.isEmpty()) {
      steps.add(new Step(parent.name(), action, "not tried: tenant A has no row in " + child.name() + " or " + parent.name()));
      return;
    }
    String moved = "jsonb_build_object(" + literal(child.tenantColumn()) + ", ?::text)";
    String fresh = child.primaryKey().stream().filter(c -> !c.equals(child.tenantColumn()))
        .filter(c -> child.column(c).type().equals("uuid"))
        .map(c -> " || jsonb_build_object(" + literal(c) + ", gen_random_uuid())").collect(Collectors.joining());
    String others = otherReferencesToB(child, reference, keys, tables);
    Outcome outcome = insert(child, "?::jsonb || " + moved + fresh + others, row.get(), tenantB.toString());
    if (outcome.refused() && !outcome.sqlState().equals("23503") && !outcome.sqlState().equals("42501")) {
      outcome = insert(child, "?::jsonb || " + moved + fresh, row.get(), tenantB.toString());
    }
    String object = child.name() + "." + reference.name();
    if (!outcome.refused()) {
      violations.add(new TenancyViolation(object, Rule.REFERENCE, "tenant B inserted a row referencing A's " + parent.name()));
    } else if (!outcome.sqlState().equals("23503") && !outcome.sqlState().equals("42501")) {
      violations.add(new TenancyViolation(object, Rule.REFERENCE, "inconclusive: the copy was refused for another reason ("
          + outcome.sqlState() + " " + outcome.constraint() + ") before any reference was checked; tenant B should"
          + " have no rows like A's"));
    }
    steps.add(new Step(parent.name(), action, outcome.toString()));
  }

  private Outcome insert(Table child, String json, Object... parameters) throws SQLException {
    String columns = child.columns().stream().filter(c -> !c.generated()).map(c -> ident(c.name()))
        .collect(Collectors.joining(", "));
    String table = qualified(schema, child.name());
    return run("insert into " + table + " (" + columns + ") select " + columns + " from jsonb_populate_record(null::"
        + table + ", " + json + ")", parameters);
  }

  /**
   * For the child's other references to tenant tables, the columns as B's first row of the parent
   * has them, or empty where they all take NULL, as a {@code || jsonb_build_object(…)} to add.
   */
  private String otherReferencesToB(Table child, ForeignKey tried, List<ForeignKey> keys, List<Table> tables)
      throws SQLException {
    StringBuilder result = new StringBuilder();
    List<String> triedColumns = ownColumns(tried, child);
    for (ForeignKey other : keys) {
      List<String> columns = ownColumns(other, child);
      if (!other.child().equals(child.name()) || other.equals(tried) || columns.isEmpty()
          || columns.stream().anyMatch(triedColumns::contains)) {
        continue;
      }
      Table parent = tableNamed(tables, other.parent());
      List<String> pairs = new ArrayList<>();
      for (String column : columns) {
        String parentColumn = other.parentColumns().get(other.childColumns().indexOf(column));
        pairs.add(literal(column) + ", p." + ident(parentColumn));
      }
      List<List<String>> ofB = TenantTables.query(superuser, "select jsonb_build_object(" + String.join(", ", pairs)
          + ")::text from " + qualified(schema, parent.name()) + " p where p." + ident(parent.tenantColumn()) + " = ? limit 1",
          tenantB);
      if (!ofB.isEmpty()) {
        result.append(" || ").append(literal(ofB.get(0).get(0))).append("::jsonb");
      } else if (columns.stream().noneMatch(c -> child.column(c).notNull())) {
        result.append(columns.stream().map(c -> " || jsonb_build_object(" + literal(c) + ", null)")
            .collect(Collectors.joining()));
      }
    }
    return result.toString();
  }

  /** A's row of the child that uses the reference, as JSON; else any of A's rows pointed at one of A's parent rows. */
  private Optional<String> rowOfAReferencing(Table child, Table parent, ForeignKey reference) throws SQLException {
    List<String> own = ownColumns(reference, child);
    String tenant = " c." + ident(child.tenantColumn()) + " = ?";
    List<List<String>> rows = TenantTables.query(superuser, "select to_jsonb(c)::text from " + qualified(schema, child.name())
        + " c where" + tenant + own.stream().map(col -> " and c." + ident(col) + " is not null").collect(Collectors.joining())
        + " limit 1", tenantA);
    if (rows.isEmpty()) {
      String pointed = own.stream().map(col -> literal(col) + ", p."
          + ident(reference.parentColumns().get(reference.childColumns().indexOf(col)))).collect(Collectors.joining(", "));
      rows = TenantTables.query(superuser, "select (to_jsonb(c) || jsonb_build_object(" + pointed + "))::text from "
          + qualified(schema, child.name()) + " c cross join " + qualified(schema, parent.name()) + " p where" + tenant
          + " and p." + ident(parent.tenantColumn()) + " = ? limit 1", tenantA, tenantA);
    }
    return rows.stream().findFirst().map(r -> r.get(0));
  }

  /** The values of the primary key of one of A's rows, as text, in key order. */
  private Optional<List<String>> keyOfA(Table table) throws SQLException {
    if (table.primaryKey().isEmpty()) {
      return Optional.empty();
    }
    String columns = table.primaryKey().stream().map(c -> ident(c) + "::text").collect(Collectors.joining(", "));
    return TenantTables.query(superuser, "select " + columns + " from " + qualified(schema, table.name()) + " where "
        + ident(table.tenantColumn()) + " = ? limit 1", tenantA).stream().findFirst();
  }

  /** A column the runtime role may update, so that a grant does not refuse the attempt before RLS can. */
  private String updatableColumn(Table table) throws SQLException {
    List<List<String>> rows = TenantTables.query(superuser, "select a.attname from pg_attribute a where a.attrelid = ?::regclass"
        + " and a.attnum > 0 and not a.attisdropped and has_column_privilege(?, a.attrelid, a.attnum, 'UPDATE')"
        + " order by a.attnum limit 1", qualified(schema, table.name()), runtimeRole);
    return rows.isEmpty() ? table.primaryKey().get(0) : rows.get(0).get(0);
  }

  private void expectNothing(String table, Rule rule, String action, Outcome outcome) {
    steps.add(new Step(table, action, outcome.toString()));
    if (!outcome.refused() && outcome.rows() > 0) {
      violations.add(new TenancyViolation(table, rule, action + ": " + outcome));
    }
  }

  /** Runs one statement as the runtime role in a savepoint: a query's first column as a count, else the rows changed. */
  private Outcome run(String sql, Object... parameters) throws SQLException {
    Savepoint savepoint = runtime.setSavepoint();
    try (PreparedStatement ps = runtime.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setObject(i + 1, parameters[i]);
      }
      long rows;
      if (ps.execute()) {
        try (var rs = ps.getResultSet()) {
          rs.next();
          String first = rs.getString(1);
          rows = first != null && first.chars().allMatch(Character::isDigit) ? Long.parseLong(first) : 0;
        }
      } else {
        rows = ps.getUpdateCount();
      }
      runtime.releaseSavepoint(savepoint);
      return new Outcome(rows, null, null);
    } catch (PSQLException e) {
      runtime.rollback(savepoint);
      String constraint = e.getServerErrorMessage() == null ? null : e.getServerErrorMessage().getConstraint();
      return new Outcome(0, e.getSQLState(), constraint);
    }
  }

  /** The reference's columns of the child other than its tenant column. */
  private static List<String> ownColumns(ForeignKey reference, Table child) {
    return reference.childColumns().stream().filter(c -> !c.equals(child.tenantColumn())).toList();
  }

  private static Table tableNamed(List<Table> tables, String name) {
    return tables.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }
}
