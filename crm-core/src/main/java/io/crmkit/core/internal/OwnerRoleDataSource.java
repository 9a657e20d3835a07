package io.crmkit.core.internal;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The migration DataSource as Flyway sees it: every connection has done {@code SET ROLE <owner>},
 * so what migrations create belongs to the owner role, and does {@code RESET ROLE} before it goes
 * back to the host's pool. (Flyway's {@code initSql} did the first half but is deprecated.)
 */
final class OwnerRoleDataSource implements DataSource {
  private final DataSource delegate;
  private final String setRole;

  OwnerRoleDataSource(DataSource delegate, String ownerRole) {
    this.delegate = delegate;
    this.setRole = "SET ROLE " + SqlIdentifiers.quote(ownerRole);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return asOwner(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return asOwner(delegate.getConnection(username, password));
  }

  private Connection asOwner(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(setRole);
      if (!connection.getAutoCommit()) {
        // On a pool without auto-commit the SET would be rolled back with the first rollback.
        connection.commit();
      }
    } catch (SQLException e) {
      connection.close();
      throw new SQLException("the migration connection cannot " + setRole + "; its login must be a member of the"
          + " owner role: " + e.getMessage(), e.getSQLState(), e);
    }
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (method.getName().equals("close") && method.getParameterCount() == 0 && !connection.isClosed()) {
            resetRole(connection);
          }
          try {
            return method.invoke(connection, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /**
   * Puts the login's own role back before the connection returns to the host's pool; outside
   * any transaction (or committed), since a pool's rollback on return would undo a RESET made in
   * one. A connection whose role cannot be reset is aborted, never handed out again as the owner.
   */
  private static void resetRole(Connection connection) {
    try {
      boolean autoCommit = connection.getAutoCommit();
      if (!autoCommit) {
        connection.rollback();
      }
      try (Statement s = connection.createStatement()) {
        s.execute("RESET ROLE");
      }
      if (!autoCommit) {
        connection.commit();
      }
    } catch (SQLException e) {
      try {
        connection.abort(Runnable::run);
      } catch (SQLException ignored) {
        // nothing more can be done; the pool sees a broken connection
      }
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return delegate.isWrapperFor(iface);
  }
}
