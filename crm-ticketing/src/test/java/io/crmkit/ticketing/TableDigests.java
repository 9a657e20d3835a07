package io.crmkit.ticketing;

import io.crmkit.testdb.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * A digest of every row of every table of the {@code crm} schema, read as the superuser: equal
 * digests before and after a refused call show it changed no row, where
 * {@link io.crmkit.testdb.RowCounts} shows it added or removed none.
 */
final class TableDigests {
  private TableDigests() {}

  /** Each table (Flyway's history tables left out) and the md5 of its rows' text, in a fixed order. */
  static Map<String, String> of(DataSource admin) {
    try (Connection c = admin.getConnection()) {
      Map<String, String> digests = new TreeMap<>();
      for (String table : Jdbc.rows(c, "select quote_ident(relname) from pg_class where relnamespace = 'crm'::regnamespace"
          + " and relkind in ('r', 'p') and relname not like 'flyway_history%' order by relname")) {
        digests.put(table, Jdbc.rows(c, "select coalesce(md5(string_agg(md5(t::text), '' order by md5(t::text))), '')"
            + " from crm." + table + " t").get(0));
      }
      return digests;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the crm schema's tables", e);
    }
  }
}
