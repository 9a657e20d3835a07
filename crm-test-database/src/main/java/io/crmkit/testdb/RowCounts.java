package io.crmkit.testdb;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The number of rows in every table of a schema, counted as the superuser (who sees every
 * tenant's rows): for tests that show a refused call changed nothing.
 *
 * <pre>{@code
 * Map<String, Long> before = RowCounts.of(database.adminDataSource(), "crm");
 * assertThatThrownBy(() -> customers.create(bad)).isInstanceOf(ValidationException.class);
 * assertThat(RowCounts.of(database.adminDataSource(), "crm")).isEqualTo(before);
 * }</pre>
 */
public final class RowCounts {
  private RowCounts() {}

  /** Each table of {@code schema} (Flyway's history tables left out) and its number of rows, by name. */
  public static Map<String, Long> of(DataSource admin, String schema) {
    try (Connection c = admin.getConnection()) {
      List<String> tables = Jdbc.rows(c, "select quote_ident(relname) from pg_class where relnamespace = ?::regnamespace"
          + " and relkind in ('r', 'p') and relname not like 'flyway_history%' order by relname", schema);
      if (tables.isEmpty()) {
        throw new IllegalArgumentException("schema " + schema + " has no tables");
      }
      List<String> counts = new ArrayList<>();
      for (String table : tables) {
        counts.add("select '" + table.replace("'", "''") + "', count(*) from " + quoteIdent(schema) + "." + table);
      }
      Map<String, Long> result = new TreeMap<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(String.join(" union all ", counts))) {
        while (rs.next()) {
          result.put(rs.getString(1), rs.getLong(2));
        }
      }
      return result;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot count the rows of schema " + schema, e);
    }
  }

  private static String quoteIdent(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
