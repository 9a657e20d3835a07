package io.crmkit.core.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkit.core.customers.ImportPreview;
import io.crmkit.core.spi.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A prepared import row as a preview shows it: its fields by their API names. */
final class ImportPreviewRows {
  /** Each column the import statements read, then its API name, in {@link ImportPreview.Row}'s order. */
  private static final String[] NAMES = {"full_name", "fullName", "whatsapp_phone", "whatsappPhone", "email",
      "email", "phone", "phone", "company", "company", "position", "position", "notes", "notes", "lead_score",
      "leadScore", "external_id", "externalId"};

  private ImportPreviewRows() {}

  static ImportPreview.Row of(ObjectNode node) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < NAMES.length; i += 2) {
      String column = NAMES[i];
      if (node.hasNonNull(column)) {
        fields.put(NAMES[i + 1], column.equals("lead_score") ? node.get(column).asInt() : node.get(column).asText());
      }
      if (column.equals("notes") && node.has("tags")) {
        List<String> tags = new ArrayList<>();
        node.get("tags").forEach(tag -> tags.add(tag.asText()));
        fields.put("tags", tags);
      }
    }
    if (node.has("custom_fields") && !node.get("custom_fields").isEmpty()) {
      fields.put("customFields", Json.MAPPER.convertValue(node.get("custom_fields"), Map.class));
    }
    return new ImportPreview.Row(node.path("line").asLong(), fields);
  }
}
