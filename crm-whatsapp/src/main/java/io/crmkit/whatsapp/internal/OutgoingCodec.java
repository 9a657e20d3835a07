package io.crmkit.whatsapp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkit.whatsapp.OutgoingMessage;
import java.util.ArrayList;
import java.util.List;

/** An outbound reply as stored in messages.payload, so a restart can send it as it was asked. */
final class OutgoingCodec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OutgoingCodec() {}

  static ObjectNode toJson(OutgoingMessage message, java.util.UUID profileId) {
    ObjectNode json = JSON.createObjectNode();
    json.put("profile_id", profileId.toString());
    json.put("to", message.to());
    if (message instanceof OutgoingMessage.Text text) {
      json.put("kind", "text");
      json.put("body", text.body());
    } else if (message instanceof OutgoingMessage.Template template) {
      json.put("kind", "template");
      json.put("name", template.name());
      json.put("language", template.languageCode());
      template.bodyParameters().forEach(json.putArray("parameters")::add);
    } else {
      throw new IllegalArgumentException("replies are text or templates, not " + message.getClass().getSimpleName());
    }
    return json;
  }

  static OutgoingMessage fromJson(JsonNode json) {
    String to = json.path("to").asText();
    if ("template".equals(json.path("kind").asText())) {
      List<String> parameters = new ArrayList<>();
      json.path("parameters").forEach(p -> parameters.add(p.asText()));
      return OutgoingMessage.Template.of(to, json.path("name").asText(), json.path("language").asText(), parameters);
    }
    return new OutgoingMessage.Text(to, json.path("body").asText());
  }

  static java.util.UUID profileId(JsonNode json) {
    return java.util.UUID.fromString(json.path("profile_id").asText());
  }
}
