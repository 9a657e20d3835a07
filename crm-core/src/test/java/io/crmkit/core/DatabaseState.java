package io.crmkit.core;

import io.crmkit.testdb.Jdbc;
import io.crmkit.testdb.RowCounts;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * What a refused call must leave as it was, read as the superuser (who sees every tenant): the row
 * count of every table of the {@code crm} schema ({@link RowCounts}) and a digest of each table's
 * rows, so an update that slipped through shows as well as an insert.
 *
 * <pre>{@code
 * DatabaseState before = DatabaseState.of(t.admin());
 * assertThatThrownBy(() -> customers.update(id, bad)).isInstanceOf(ValidationException.class);
 * assertThat(DatabaseState.of(t.admin())).isEqualTo(before);
 * }</pre>
 *
 * @param rowCounts rows per table
 * @param digests md5 of each table's rows as text, in a fixed order
 */
record DatabaseState(Map<String, Long> rowCounts, Map<String, String> digests) {

  static DatabaseState of(DataSource admin) {
    Map<String, Long> counts = RowCounts.of(admin, "crm");
    try (Connection c = admin.getConnection()) {
      String digests = counts.keySet().stream()
          .map(table -> "select '" + table + "', md5(coalesce(string_agg(r::text, E'\\n' order by r::text), ''))"
              + " from crm." + table + " r")
          .collect(Collectors.joining(" union all "));
      Map<String, String> byTable = new TreeMap<>();
      List<String> rows = Jdbc.rows(c, digests);
      for (String row : rows) {
        String[] parts = row.split(" ", 2);
        byTable.put(parts[0], parts[1]);
      }
      return new DatabaseState(counts, byTable);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot digest the crm schema", e);
    }
  }
}
