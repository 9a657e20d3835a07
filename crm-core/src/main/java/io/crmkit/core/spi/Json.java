package io.crmkit.core.spi;

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
  /**
   * Shared, configured once; ObjectMapper is thread-safe after configuration. Every module uses
   * this one: read and write with it, never configure it.
   */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private Json() {}

  /**
   * A JSON object as an unmodifiable map, nested maps and lists unmodifiable too. JSON nulls are
   * left out (a key mapped to null would put null across the API); a null inside a list stays
   * out as well.
   */
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

  /**
   * A deep, unmodifiable copy of a settings map: nested maps and lists copied too.
   *
   * @throws NullPointerException naming the path of a null key or value
   */
  public static Map<String, Object> deepCopy(Map<String, Object> map) {
    return deepCopy(map, "settings");
  }

  /**
   * Like {@link #deepCopy(Map)}, naming a null's path from {@code root} (e.g. {@code customFields.city}).
   *
   * @throws NullPointerException naming the path of a null key or value
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> deepCopy(Map<String, Object> map, String root) {
    return (Map<String, Object>) copy(map, root);
  }

  private static Object copy(Object value, String path) {
    if (value == null) {
      throw new NullPointerException(path + " is null");
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(java.util.Objects.requireNonNull(k, path + " has a null key"),
          copy(v, path + "." + shown(k))));
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        copy.add(copy(list.get(i), path + "[" + i + "]"));
      }
      return Collections.unmodifiableList(copy);
    }
    return value;
  }

  /** A key as a path shows it: controls and lone surrogates as \\uXXXX, at most 64 characters. */
  private static String shown(Object key) {
    String text = key.toString();
    StringBuilder shown = new StringBuilder();
    for (int i = 0; i < text.length() && shown.length() < 64; i++) {
      char ch = text.charAt(i);
      boolean paired = Character.isHighSurrogate(ch) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1));
      if (paired) {
        shown.append(ch).append(text.charAt(++i));
      } else if (Character.isISOControl(ch) || Character.isSurrogate(ch)) {
        shown.append(String.format("\\u%04X", (int) ch));
      } else {
        shown.append(ch);
      }
    }
    return shown.length() < text.length() && shown.length() >= 64 ? shown + "…" : shown.toString();
  }

  private static Object freeze(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> {
        if (v != null) {
          copy.put(k, freeze(v));
        }
      });
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> {
        if (v != null) {
          copy.add(freeze(v));
        }
      });
      return Collections.unmodifiableList(copy);
    }
    return value;
  }
}
