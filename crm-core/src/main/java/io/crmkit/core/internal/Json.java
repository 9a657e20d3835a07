package io.crmkit.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON mapper CRMKit uses, and conversions between JSON and immutable Java values. */
public final class Json {
  /** Shared, configured once; ObjectMapper is thread-safe after configuration. */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private Json() {}

  /** A JSON object as an unmodifiable map, nested values unmodifiable too; JSON null becomes absent-safe null values. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> toMap(JsonNode node) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    Map<String, Object> map = MAPPER.convertValue(node, LinkedHashMap.class);
    return (Map<String, Object>) freeze(map);
  }

  /** A map as a JSON object node. */
  public static JsonNode fromMap(Map<String, Object> map) {
    return MAPPER.valueToTree(map);
  }

  private static Object freeze(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k, freeze(v)));
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(freeze(v)));
      return Collections.unmodifiableList(copy);
    }
    return value;
  }
}
