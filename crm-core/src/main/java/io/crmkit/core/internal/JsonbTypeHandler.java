package io.crmkit.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.core.spi.Json;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;

/**
 * The one mapping of {@code jsonb} columns: ↔ Jackson {@link JsonNode}. pgjdbc sends a string
 * bound with {@link Types#OTHER} as an untyped literal, which PostgreSQL casts to jsonb; a plain
 * {@code setString} would be typed varchar and refused.
 */
final class JsonbTypeHandler extends BaseTypeHandler<JsonNode> {
  @Override
  public void setNonNullParameter(PreparedStatement ps, int i, JsonNode value, JdbcType jdbcType) throws SQLException {
    try {
      ps.setObject(i, Json.MAPPER.writeValueAsString(value), Types.OTHER);
    } catch (JsonProcessingException e) {
      throw new SQLException("cannot write JSON parameter " + i, e);
    }
  }

  @Override
  public JsonNode getNullableResult(ResultSet rs, String column) throws SQLException {
    return parse(rs.getString(column));
  }

  @Override
  public JsonNode getNullableResult(ResultSet rs, int index) throws SQLException {
    return parse(rs.getString(index));
  }

  @Override
  public JsonNode getNullableResult(CallableStatement cs, int index) throws SQLException {
    return parse(cs.getString(index));
  }

  private static JsonNode parse(String text) throws SQLException {
    if (text == null) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new SQLException("the database returned JSON that does not parse", e);
    }
  }
}
