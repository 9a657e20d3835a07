package io.crmkit.core.internal;

import io.crmkit.core.users.Role;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;

/**
 * Enum ↔ its lowercase database word ({@code Role.ADMIN} ↔ {@code 'admin'}). Public only because
 * MyBatis instantiates it by reflection, once per enum type, as the default enum handler.
 */
public final class LowercaseEnumTypeHandler<E extends Enum<E>> extends BaseTypeHandler<E> {
  private final Class<E> type;

  /** Creates the handler for one enum type. */
  public LowercaseEnumTypeHandler(Class<E> type) {
    this.type = type;
  }

  @Override
  public void setNonNullParameter(PreparedStatement ps, int i, E value, JdbcType jdbcType) throws SQLException {
    ps.setString(i, value.name().toLowerCase(Locale.ROOT));
  }

  @Override
  public E getNullableResult(ResultSet rs, String column) throws SQLException {
    return parse(rs.getString(column));
  }

  @Override
  public E getNullableResult(ResultSet rs, int index) throws SQLException {
    return parse(rs.getString(index));
  }

  @Override
  public E getNullableResult(CallableStatement cs, int index) throws SQLException {
    return parse(cs.getString(index));
  }

  private E parse(String word) throws SQLException {
    if (word == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, word.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new SQLException("unknown " + type.getSimpleName() + " in the database: " + word, e);
    }
  }
}
