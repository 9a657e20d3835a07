package io.crmkit.ticketing.internal;

import io.crmkit.core.spi.TenantTransaction;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** The statement shapes the module's SQL keeps using: one value back, or a row count. */
final class Jdbc {
  private Jdbc() {}

  /** The first column of the first row as a UUID, or null if there is no row. */
  static UUID id(TenantTransaction tx, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement ps = prepare(tx, sql, parameters); ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getObject(1, UUID.class) : null;
    }
  }

  /** The first column of the first row as text, or null if there is no row. */
  static String text(TenantTransaction tx, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement ps = prepare(tx, sql, parameters); ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** Runs an update; returns the rows it changed. */
  static int execute(TenantTransaction tx, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement ps = prepare(tx, sql, parameters)) {
      return ps.executeUpdate();
    }
  }

  private static PreparedStatement prepare(TenantTransaction tx, String sql, Object... parameters) throws SQLException {
    PreparedStatement ps = tx.connection().prepareStatement(sql);
    try {
      for (int i = 0; i < parameters.length; i++) {
        ps.setObject(i + 1, parameters[i]);
      }
      return ps;
    } catch (SQLException e) {
      ps.close();
      throw e;
    }
  }
}
