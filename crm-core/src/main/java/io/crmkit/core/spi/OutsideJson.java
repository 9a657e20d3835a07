package io.crmkit.core.spi;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * JSON from outside (a webhook's body), read so that whatever can be stored is: bytes that are not
 * UTF-8 become U+FFFD, a raw control character inside a string is read rather than refused, and
 * every string and field name goes through {@link Inputs#outsideText} (control characters other
 * than tab and line breaks removed, broken UTF-16 such as a {@code \ud800} escape replaced), so
 * that neither a text column nor {@code jsonb} refuses it. A body that is not JSON at all is still
 * an {@link IOException}.
 */
public final class OutsideJson {
  private static final ObjectReader READER = Json.MAPPER.reader()
      .with(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS);

  private OutsideJson() {}

  /**
   * The cleaned tree of {@code raw}; check any signature over {@code raw} first.
   *
   * @throws IOException if {@code raw} is not one JSON value
   */
  public static JsonNode read(byte[] raw) throws IOException {
    Objects.requireNonNull(raw, "raw");
    // Decoding with replacement, not strictly: one bad byte must not cost the rest of the body.
    JsonNode tree = READER.readTree(new String(raw, StandardCharsets.UTF_8));
    if (tree == null || tree.isMissingNode()) {
      throw new IOException("no JSON value");
    }
    return clean(tree);
  }

  /** {@code node} with every string and field name cleaned as {@link Inputs#outsideText} cleans text. */
  public static JsonNode clean(JsonNode node) {
    Objects.requireNonNull(node, "node");
    if (node.isTextual()) {
      String text = node.textValue();
      String clean = Inputs.outsideText(text);
      return clean == text ? node : TextNode.valueOf(clean);
    }
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        copy.set(Inputs.outsideText(field.getKey()), clean(field.getValue()));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
      node.forEach(element -> copy.add(clean(element)));
      return copy;
    }
    return node;
  }
}
