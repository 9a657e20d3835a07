package io.crmkit.testdb;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The tenant tables of a schema as the catalog describes them, for {@link TenancyCatalog} and
 * {@link TenancyAttack}: a table is a tenant table when it has the tenant column
 * ({@value #TENANT_COLUMN}), or is the tenant root ({@value #ROOT_TABLE}, whose
 * {@value #ROOT_KEY} is every other table's tenant), and is not a listed exception.
 */
final class TenantTables {
  /** Every tenant table's column naming its organization. */
  static final String TENANT_COLUMN = "organization_id";
  /** The tenant root: one row per tenant. */
  static final String ROOT_TABLE = "organizations";
  /** The root's key, which every tenant table's tenant column references. */
  static final String ROOT_KEY = "id";

  /** The tenant tables' names and tenant columns, one query; everything else refers to it by name. */
  static final String TENANT_TABLES_CTE = """
      with tenant_tables as (
        select c.oid, c.relname, a.attnum as tenant_attnum, a.attname as tenant_column
          from pg_class c
          join pg_attribute a on a.attrelid = c.oid and not a.attisdropped
         where c.relnamespace = ?::regnamespace and c.relkind in ('r', 'p')
           and not (c.relname = any (?::text[]))
           and a.attname = case when c.relname = '%s' then '%s' else '%s' end)
      """.formatted(ROOT_TABLE, ROOT_KEY, TENANT_COLUMN);

  private TenantTables() {}

  /** A column: its name, its type as SQL writes it, and whether it takes NULL or is generated. */
  record Column(String name, String type, boolean notNull, boolean generated) {}

  /** A foreign key between two tenant tables, its columns paired in order. */
  record ForeignKey(String name, String child, List<String> childColumns, String parent, List<String> parentColumns) {}

  /** A tenant table: its tenant column, its columns in order, and its primary key's columns. */
  record Table(String name, String tenantColumn, List<Column> columns, List<String> primaryKey) {
    Column column(String name) {
      return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
  }

  /** Every tenant table of {@code schema}, by name, the {@code exceptions} left out. */
  static List<Table> of(Connection admin, String schema, Set<String> exceptions) throws SQLException {
    List<Table> tables = new ArrayList<>();
    for (List<String> row : query(admin, TENANT_TABLES_CTE + " select relname, tenant_column from tenant_tables order by 1",
        schema, exceptions.toArray(String[]::new))) {
      String name = row.get(0);
      List<Column> columns = new ArrayList<>();
      List<String> key = new ArrayList<>();
      for (List<String> column : query(admin, """
          select a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull::text,
                 (a.attgenerated <> '' or a.attidentity = 'a')::text,
                 coalesce(array_position(k.conkey, a.attnum), 0)::text
            from pg_attribute a
            left join pg_constraint k on k.conrelid = a.attrelid and k.contype = 'p'
           where a.attrelid = ?::regclass and a.attnum > 0 and not a.attisdropped
           order by a.attnum""", qualified(schema, name))) {
        columns.add(new Column(column.get(0), column.get(1), "true".equals(column.get(2)), "true".equals(column.get(3))));
        int position = Integer.parseInt(column.get(4));
        if (position > 0) {
          while (key.size() < position) {
            key.add(null);
          }
          key.set(position - 1, column.get(0));
        }
      }
      tables.add(new Table(name, row.get(1), List.copyOf(columns), List.copyOf(key)));
    }
    return tables;
  }

  /** The foreign keys of {@code schema} whose child and parent are both among {@code tables}. */
  static List<ForeignKey> foreignKeys(Connection admin, String schema, List<Table> tables) throws SQLException {
    Set<String> names = Set.copyOf(tables.stream().map(Table::name).toList());
    List<ForeignKey> keys = new ArrayList<>();
    for (List<String> row : query(admin, """
        select k.conname, s.relname,
               array_to_string(array(select a.attname from unnest(k.conkey) with ordinality u(n, i)
                 join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n order by u.i), ','),
               d.relname,
               array_to_string(array(select a.attname from unnest(k.confkey) with ordinality u(n, i)
                 join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.n order by u.i), ',')
          from pg_constraint k
          join pg_class s on s.oid = k.conrelid
          join pg_class d on d.oid = k.confrelid
         where k.contype = 'f' and k.connamespace = ?::regnamespace
         order by s.relname, k.conname""", schema)) {
      if (names.contains(row.get(1)) && names.contains(row.get(3))) {
        keys.add(new ForeignKey(row.get(0), row.get(1), Arrays.asList(row.get(2).split(",")), row.get(3),
            Arrays.asList(row.get(4).split(","))));
      }
    }
    return keys;
  }

  /** {@code "schema"."table"}, quoted. */
  static String qualified(String schema, String table) {
    return ident(schema) + "." + ident(table);
  }

  /** An identifier quoted for SQL text: identifiers come from the catalog, never from input. */
  static String ident(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /** A text literal for SQL text: names and values from the catalog or the superuser's reads, never from input. */
  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  /**
   * Runs {@code sql} with {@code parameters} bound in order ({@code String[]} as a text array) and
   * returns its rows, each a list of its columns as text.
   */
  static List<List<String>> query(Connection c, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        if (parameters[i] instanceof String[] array) {
          Array value = c.createArrayOf("text", array);
          ps.setArray(i + 1, value);
        } else {
          ps.setObject(i + 1, parameters[i]);
        }
      }
      List<List<String>> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<String> row = new ArrayList<>(columns);
          for (int i = 1; i <= columns; i++) {
            row.add(rs.getString(i));
          }
          rows.add(row);
        }
      }
      return rows;
    }
  }
}
