package io.crmkit.testdb;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.sql.DataSource;

/** Small JDBC helpers for tests: a statement's rows as text, and counting what a library calls. */
public final class Jdbc {
  private Jdbc() {}

  /**
   * Runs {@code sql} with {@code parameters} (bound in order with {@code setObject}) and returns
   * its rows as text, one string per row with the columns separated by spaces; no rows for a
   * statement that returns none.
   */
  public static List<String> rows(Connection c, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setObject(i + 1, parameters[i]);
      }
      List<String> rows = new ArrayList<>();
      if (!ps.execute()) {
        return rows;
      }
      try (ResultSet rs = ps.getResultSet()) {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          StringBuilder row = new StringBuilder();
          for (int i = 1; i <= columns; i++) {
            row.append(i > 1 ? " " : "").append(rs.getString(i));
          }
          rows.add(row.toString());
        }
      }
      return rows;
    }
  }

  /**
   * {@code dataSource}, counting in {@code calls} the calls of the {@link Connection} methods
   * {@code counted} accepts by name (e.g. {@code "commit"}) on the connections it hands out.
   */
  public static DataSource counting(DataSource dataSource, Predicate<String> counted, AtomicInteger calls) {
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          Object result = invoke(dataSource, method, args);
          if (!(result instanceof Connection connection)) {
            return result;
          }
          return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
              (p, m, a) -> {
                if (counted.test(m.getName())) {
                  calls.incrementAndGet();
                }
                return invoke(connection, m, a);
              });
        });
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
