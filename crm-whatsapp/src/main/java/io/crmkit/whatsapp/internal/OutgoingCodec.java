package io.crmkit.whatsapp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkit.core.spi.Json;
import io.crmkit.whatsapp.OutgoingMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An outbound reply as stored in messages.payload, so a restart can send it as it was asked. */
final class OutgoingCodec {
  private OutgoingCodec() {}

  static ObjectNode toJson(OutgoingMessage message, java.util.UUID profileId) {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("profile_id", profileId.toString());
    json.put("to", message.to());
    if (message instanceof OutgoingMessage.Text text) {
      json.put("kind", "text");
      json.put("body", text.body());
    } else if (message instanceof OutgoingMessage.Template template) {
      json.put("kind", "template");
      json.put("name", template.name());
      json.put("language", template.languageCode());
      if (template.equals(OutgoingMessage.Template.of(template.to(), template.name(), template.languageCode(),
          template.bodyParameters()))) {
        template.bodyParameters().forEach(json.putArray("parameters")::add);
      } else {
        throw new IllegalArgumentException("a reply's template has body values only");
      }
    } else if (message instanceof OutgoingMessage.Media media) {
      json.put("kind", "media");
      json.put("media_kind", media.kind().name());
      media.source().link().ifPresent(l -> json.put("link", l));
      media.source().mediaId().ifPresent(id -> json.put("media_id", id));
      media.caption().ifPresent(c -> json.put("caption", c));
      media.filename().ifPresent(f -> json.put("filename", f));
    }
    return json;
  }

  static OutgoingMessage fromJson(JsonNode json) {
    String to = json.path("to").asText();
    if ("media".equals(json.path("kind").asText())) {
      OutgoingMessage.MediaSource source = json.hasNonNull("link")
          ? OutgoingMessage.MediaSource.link(json.get("link").asText())
          : OutgoingMessage.MediaSource.id(json.path("media_id").asText());
      return new OutgoingMessage.Media(to, OutgoingMessage.MediaKind.valueOf(json.path("media_kind").asText()), source,
          Optional.ofNullable(json.hasNonNull("caption") ? json.get("caption").asText() : null),
          Optional.ofNullable(json.hasNonNull("filename") ? json.get("filename").asText() : null));
    }
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
