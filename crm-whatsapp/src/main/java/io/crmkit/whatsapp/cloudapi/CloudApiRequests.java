package io.crmkit.whatsapp.cloudapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkit.core.spi.Json;
import io.crmkit.whatsapp.OutgoingMessage;
import java.util.Locale;

/**
 * The bodies of {@code POST /{phone-number-id}/messages}: a message to a business-scoped user id
 * goes in {@code recipient}, one to a phone in {@code to} (digits without {@code +}).
 */
final class CloudApiRequests {
  private CloudApiRequests() {}

  /** The request body the Cloud API expects for {@code message}. */
  static ObjectNode message(OutgoingMessage message) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("messaging_product", "whatsapp");
    body.put("recipient_type", "individual");
    if (message.toIsUserId()) {
      // A user known only by a username: the Cloud API takes their business-scoped id as recipient.
      body.put("recipient", message.to());
    } else {
      body.put("to", message.to().substring(1));
    }
    if (message instanceof OutgoingMessage.Text text) {
      body.put("type", "text");
      ObjectNode content = body.putObject("text");
      content.put("preview_url", false);
      content.put("body", text.body());
    } else if (message instanceof OutgoingMessage.Template template) {
      body.put("type", "template");
      ObjectNode content = body.putObject("template");
      content.put("name", template.name());
      content.putObject("language").put("code", template.languageCode());
      if (!template.components().isEmpty()) {
        ArrayNode components = content.putArray("components");
        for (OutgoingMessage.TemplateComponent part : template.components()) {
          ObjectNode component = components.addObject();
          component.put("type", part.type().name().toLowerCase(Locale.ROOT));
          part.subType().ifPresent(subType -> component.put("sub_type", subType));
          part.index().ifPresent(index -> component.put("index", Integer.toString(index)));
          boolean payload = part.subType().filter("quick_reply"::equals).isPresent();
          ArrayNode parameters = component.putArray("parameters");
          for (OutgoingMessage.TemplateParameter value : part.parameters()) {
            ObjectNode parameter = parameters.addObject();
            parameter.put("type", payload ? "payload" : "text");
            value.name().ifPresent(name -> parameter.put("parameter_name", name));
            parameter.put(payload ? "payload" : "text", value.text());
          }
        }
      }
    } else if (message instanceof OutgoingMessage.Media media) {
      String type = media.kind().name().toLowerCase(Locale.ROOT);
      body.put("type", type);
      ObjectNode content = body.putObject(type);
      media.source().link().ifPresent(link -> content.put("link", link));
      media.source().mediaId().ifPresent(id -> content.put("id", id));
      media.caption().ifPresent(caption -> content.put("caption", caption));
      media.filename().ifPresent(filename -> content.put("filename", filename));
    }
    return body;
  }
}
