package io.crmkit.core.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkit.core.customers.CustomerUpdate.Field;
import io.crmkit.core.customers.ImportField;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.internal.CustomerCsv.Row;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.spi.Json;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** An import's row checked as the services check each field, and turned into what the import statements read. */
final class ImportRow {
  /** Each field as the API names it in errors. */
  private static final Map<ImportField, String> NAMES = Map.of(ImportField.FULL_NAME, "fullName",
      ImportField.WHATSAPP_PHONE, "whatsappPhone", ImportField.EMAIL, "email", ImportField.PHONE, "phone",
      ImportField.COMPANY, "company", ImportField.POSITION, "position", ImportField.TAGS, "tags",
      ImportField.NOTES, "notes", ImportField.LEAD_SCORE, "leadScore", ImportField.EXTERNAL_ID, "externalId");

  private ImportRow() {}

  /**
   * A row as the JSON object the import statements read with jsonb_to_recordset, each cell checked
   * as the services check its field, phones read in {@code region}.
   *
   * @throws ValidationException naming the column's field for the row's first bad cell
   */
  static ObjectNode prepare(Row row, String region) {
    if (row.unreadable().isPresent()) {
      throw new ValidationException("row", row.unreadable().get());
    }
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("line", row.line());
    Map<String, Object> custom = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : row.plan().customFields(row.values()).entrySet()) {
      if (CustomerCsv.notUtf8(e.getValue())) {
        throw new ValidationException("customFields." + e.getKey(), "holds bytes that are not UTF-8");
      }
      custom.put(e.getKey(), e.getValue());
    }
    for (Map.Entry<ImportField, ImportPlan.Cell> e : row.plan().values(row.values(), custom).entrySet()) {
      String value = e.getValue().value();
      String field = NAMES.get(e.getKey());
      if (CustomerCsv.notUtf8(value)) {
        throw new ValidationException(field, "holds bytes that are not UTF-8");
      }
      String phoneRegion = e.getValue().region().orElse(region);
      switch (e.getKey()) {
        case FULL_NAME -> node.put("full_name", CustomerFields.checked(Field.FULL_NAME, value, region));
        case WHATSAPP_PHONE -> node.put("whatsapp_phone", CustomerFields.checked(Field.WHATSAPP_PHONE, value, phoneRegion));
        case EMAIL -> {
          String email = CustomerFields.checked(Field.EMAIL, value, region);
          node.put("email", email);
          node.put("email_key", email.toLowerCase(Locale.ROOT));
        }
        case PHONE -> node.put("phone", CustomerFields.checked(Field.PHONE, value, phoneRegion));
        case COMPANY -> node.put("company", CustomerFields.checked(Field.COMPANY, value, region));
        case POSITION -> node.put("position", CustomerFields.checked(Field.POSITION, value, region));
        case NOTES -> node.put("notes", CustomerFields.checked(Field.NOTES, value, region));
        case EXTERNAL_ID -> node.put("external_id", CustomerFields.checked(Field.EXTERNAL_ID, value, region));
        case TAGS -> {
          ArrayNode tags = node.putArray("tags");
          CustomerFields.tags(row.plan().tags(value)).forEach(tags::add);
        }
        case LEAD_SCORE -> {
          try {
            int score = Integer.parseInt(value);
            if (score < 0 || score > 100) {
              throw new NumberFormatException();
            }
            node.put("lead_score", score);
          } catch (NumberFormatException ex) {
            throw new ValidationException("leadScore", "must be a whole number 0 to 100");
          }
        }
        default -> throw new IllegalStateException(e.getKey().name());
      }
    }
    for (Map.Entry<String, Object> e : custom.entrySet()) {
      // The other values of multi-value cells, put there by values() above.
      if (e.getValue() instanceof String text && CustomerCsv.notUtf8(text)) {
        throw new ValidationException("customFields." + e.getKey(), "holds bytes that are not UTF-8");
      }
    }
    node.set("custom_fields", Inputs.customFields("customFields", custom));
    boolean phone = node.hasNonNull("whatsapp_phone");
    boolean email = node.hasNonNull("email");
    switch (row.plan().identity()) {
      case PHONE_THEN_EMAIL -> {
        if (!phone && !email) {
          throw new ValidationException("whatsappPhone", "a row needs a WhatsApp phone or an email to be matched by");
        }
      }
      case PHONE -> {
        if (!phone) {
          throw new ValidationException("whatsappPhone", "a row needs a WhatsApp phone to be matched by");
        }
      }
      case EMAIL -> {
        if (!email) {
          throw new ValidationException("email", "a row needs an email to be matched by");
        }
      }
      case EXTERNAL_ID -> {
        if (!node.hasNonNull("external_id")) {
          throw new ValidationException("externalId", "a row needs an external id to be matched by");
        }
      }
      case NONE -> {
        if (!phone && !email && !node.hasNonNull("full_name")) {
          throw new ValidationException("fullName", "a row needs a name, a WhatsApp phone or an email");
        }
      }
      default -> throw new IllegalStateException(row.plan().identity().name());
    }
    return node;
  }
}
