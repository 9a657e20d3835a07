package io.crmkit.campaigns.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkit.campaigns.CampaignContent;
import io.crmkit.campaigns.CampaignContent.ComponentType;
import io.crmkit.campaigns.CampaignContent.TemplateComponent;
import io.crmkit.campaigns.CampaignContent.TemplateParameter;
import io.crmkit.core.spi.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A campaign's content in its columns: free-form text in {@code message_template}, a template in
 * {@code template} as {@code {"name", "language", "components": [{"type", "index", "sub_type",
 * "parameters": [{"name", "value"}]}]}}.
 */
final class ContentCodec {
  private ContentCodec() {}

  /** The free-form text to store, or null for a template. */
  static String text(CampaignContent content) {
    return content instanceof CampaignContent.FreeForm free ? free.text() : null;
  }

  /** The template to store, or null for free-form text. */
  static JsonNode template(CampaignContent content) {
    if (!(content instanceof CampaignContent.Template template)) {
      return null;
    }
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("name", template.name());
    json.put("language", template.languageCode());
    ArrayNode components = json.putArray("components");
    for (TemplateComponent component : template.components()) {
      ObjectNode c = components.addObject();
      c.put("type", component.type().name().toLowerCase(Locale.ROOT));
      component.buttonIndex().ifPresent(i -> c.put("index", i));
      component.buttonSubType().ifPresent(t -> c.put("sub_type", t));
      ArrayNode parameters = c.putArray("parameters");
      for (TemplateParameter parameter : component.parameters()) {
        ObjectNode p = parameters.addObject();
        parameter.name().ifPresent(n -> p.put("name", n));
        p.put("value", parameter.value());
      }
    }
    return json;
  }

  /** The content its columns hold. */
  static CampaignContent read(String text, JsonNode template) {
    if (template == null) {
      return CampaignContent.freeForm(text);
    }
    List<TemplateComponent> components = new ArrayList<>();
    for (JsonNode c : template.path("components")) {
      List<TemplateParameter> parameters = new ArrayList<>();
      for (JsonNode p : c.path("parameters")) {
        parameters.add(new TemplateParameter(Optional.ofNullable(p.path("name").textValue()), p.path("value").asText()));
      }
      components.add(new TemplateComponent(ComponentType.valueOf(c.path("type").asText().toUpperCase(Locale.ROOT)),
          c.has("index") ? Optional.of(c.get("index").asInt()) : Optional.empty(),
          Optional.ofNullable(c.path("sub_type").textValue()), parameters));
    }
    return CampaignContent.template(template.path("name").asText(), template.path("language").asText(), components);
  }
}
