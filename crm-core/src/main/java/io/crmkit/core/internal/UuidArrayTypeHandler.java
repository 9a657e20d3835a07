package io.crmkit.core.internal;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;

/**
 * {@code List<UUID>} → {@code uuid[]} parameters. Public only because MyBatis instantiates it by
 * reflection, where a mapper names it ({@code typeHandler=io.crmkit.core.internal.UuidArrayTypeHandler}).
 */
public final class UuidArrayTypeHandler extends BaseTypeHandler<List<UUID>> {
  @Override
  public void setNonNullParameter(PreparedStatement ps, int i, List<UUID> value, JdbcType jdbcType)
      throws SQLException {
    ps.setArray(i, ps.getConnection().createArrayOf("uuid", value.toArray()));
  }

  @Override
  public List<UUID> getNullableResult(ResultSet rs, String column) {
    throw new UnsupportedOperationException("uuid[] is only a parameter type here");
  }

  @Override
  public List<UUID> getNullableResult(ResultSet rs, int index) {
    throw new UnsupportedOperationException("uuid[] is only a parameter type here");
  }

  @Override
  public List<UUID> getNullableResult(CallableStatement cs, int index) {
    throw new UnsupportedOperationException("uuid[] is only a parameter type here");
  }
}
