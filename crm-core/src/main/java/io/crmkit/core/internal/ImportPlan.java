package io.crmkit.core.internal;

import io.crmkit.core.customers.ImportField;
import io.crmkit.core.customers.ImportIdentity;
import io.crmkit.core.customers.ImportMapping;
import io.crmkit.core.exception.ValidationException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An {@link ImportMapping} held against one file's header: each rule's headers as the file writes
 * them, the columns kept as custom fields; and a row's cells turned into its fields' values.
 */
final class ImportPlan {
  /** A field's value from a row, and the region a phone rule's country code gives it. */
  record Cell(String value, Optional<String> region) {}

  private final Map<ImportField, ImportMapping.Rule> rules = new EnumMap<>(ImportField.class);
  private final Map<ImportField, List<String>> headers = new EnumMap<>(ImportField.class);
  private final Map<String, String> custom = new LinkedHashMap<>();
  private final Optional<String> separator;
  private final ImportIdentity identity;

  private ImportPlan(Optional<String> separator, ImportIdentity identity) {
    this.separator = separator;
    this.identity = identity;
  }

  /** What matches a row to a customer. */
  ImportIdentity identity() {
    return identity;
  }

  /**
   * The mapping against {@code fileHeaders}.
   *
   * @throws ValidationException if nothing fills the WhatsApp phone or the email, or a column kept
   *     as a custom field by its header has a name that is blank or over 64 characters
   */
  static ImportPlan of(ImportMapping mapping, List<String> fileHeaders, ImportIdentity identity) {
    Map<String, String> byKey = new HashMap<>();
    for (String header : fileHeaders) {
      byKey.putIfAbsent(key(header), header);
    }
    ImportPlan plan = new ImportPlan(mapping.multiValueSeparator(), identity);
    Set<String> named = new HashSet<>();
    for (ImportMapping.Rule rule : mapping.rules().values()) {
      List<String> wanted = rule instanceof ImportMapping.Phone p ? List.of(p.countryCodeHeader(), p.numberHeader())
          : rule instanceof ImportMapping.Join j ? j.headers() : ((ImportMapping.Column) rule).headers();
      List<String> present = new ArrayList<>();
      for (String header : wanted) {
        String inFile = byKey.get(key(header));
        if (inFile != null) {
          present.add(inFile);
          named.add(inFile);
        } else if (rule instanceof ImportMapping.Phone) {
          present.add(null);
        }
      }
      if (rule instanceof ImportMapping.Phone p && present.contains(null) && present.stream().anyMatch(h -> h != null)) {
        // Half a phone would be read in the organization's region, and stored as another number.
        throw new ValidationException("header", "the file has no column \"" + (present.get(0) == null
            ? p.countryCodeHeader() : p.numberHeader()) + "\" for the " + p.field() + " phone rule");
      }
      if (present.stream().anyMatch(h -> h != null)) {
        plan.rules.put(rule.field(), rule);
        plan.headers.put(rule.field(), present);
      }
    }
    mapping.customFields().forEach((header, customKey) -> {
      String inFile = byKey.get(key(header));
      if (inFile != null && named.add(inFile)) {
        plan.custom.put(inFile, customKey);
      }
    });
    if (mapping.otherColumnsAsCustomFields()) {
      for (String header : fileHeaders) {
        if (!named.contains(header)) {
          String name = header.strip();
          if (name.isEmpty() || name.length() > 64) {
            throw new ValidationException("header", "a column that is a custom field needs a name of 1 to 64"
                + " characters: \"" + header + "\"");
          }
          plan.custom.put(header, name);
        }
      }
    }
    boolean phone = plan.rules.containsKey(ImportField.WHATSAPP_PHONE);
    boolean email = plan.rules.containsKey(ImportField.EMAIL);
    String missing = switch (identity) {
      case PHONE_THEN_EMAIL -> phone || email ? null : "a whatsapp_phone or an email column";
      case PHONE -> phone ? null : "a whatsapp_phone column";
      case EMAIL -> email ? null : "an email column";
      case EXTERNAL_ID -> plan.rules.containsKey(ImportField.EXTERNAL_ID) ? null : "an external_id column";
      case NONE -> phone || email || plan.rules.containsKey(ImportField.FULL_NAME) ? null
          : "a name, whatsapp_phone or email column";
    };
    if (missing != null) {
      throw new ValidationException("header", "needs " + missing + " to match customers by (or a mapping that names"
          + " one)");
    }
    return plan;
  }

  /** The fields a row fills, in the rules' order; extra values of a multi-value cell go to {@code customOut}. */
  Map<ImportField, Cell> values(Map<String, String> row, Map<String, Object> customOut) {
    Map<ImportField, Cell> values = new EnumMap<>(ImportField.class);
    rules.forEach((field, rule) -> {
      List<String> columns = headers.get(field);
      Cell cell;
      if (rule instanceof ImportMapping.Phone) {
        String code = cell(row, columns.get(0));
        String number = cell(row, columns.get(1));
        Optional<String> region = code.isEmpty() || number.startsWith("+") ? Optional.empty()
            : PhoneNumbers.regionOfCallingCode(code);
        if (!code.isEmpty() && !number.startsWith("+") && region.isEmpty() && !number.isEmpty()) {
          throw new ValidationException(field == ImportField.PHONE ? "phone" : "whatsappPhone",
              "has a country code that is none: \"" + code + "\"");
        }
        if (region.equals(Optional.of(PhoneNumbers.NON_GEOGRAPHIC)) && !number.isEmpty()) {
          // A code of no country (800, freephone; 882, networks): the number is read whole, as +code.
          number = "+" + code.replaceFirst("^(\\+|00)", "") + number;
          region = Optional.empty();
        }
        cell = new Cell(number, region);
      } else if (rule instanceof ImportMapping.Join) {
        List<String> parts = new ArrayList<>();
        for (String column : columns) {
          String value = first(field, cell(row, column), customOut);
          if (!value.isEmpty()) {
            parts.add(value);
          }
        }
        cell = new Cell(String.join(" ", parts), Optional.empty());
      } else {
        String value = "";
        for (String column : columns) {
          value = cell(row, column);
          if (!value.isEmpty()) {
            break;
          }
        }
        cell = new Cell(field == ImportField.TAGS ? value : first(field, value, customOut), Optional.empty());
      }
      if (!cell.value().isEmpty()) {
        values.put(field, cell);
      }
    });
    return values;
  }

  /** The custom fields a row fills: key, then the cell. */
  Map<String, String> customFields(Map<String, String> row) {
    Map<String, String> values = new LinkedHashMap<>();
    custom.forEach((header, customKey) -> {
      String value = cell(row, header);
      if (!value.isEmpty()) {
        values.put(customKey, value);
      }
    });
    return values;
  }

  /**
   * Tags of a cell: split at the separator the mapping gives, else at {@code ;}; Google's own groups
   * ({@code * myContacts}, {@code * starred}) left out.
   */
  List<String> tags(String cell) {
    String split = separator.orElse(";");
    return java.util.Arrays.stream(cell.split(java.util.regex.Pattern.quote(split))).map(String::strip)
        .filter(tag -> !tag.isEmpty() && !tag.startsWith("* ")).toList();
  }

  /** The first value of a multi-value cell; the others kept in {@code customOut} as {@code <field>_more}. */
  private String first(ImportField field, String value, Map<String, Object> customOut) {
    if (separator.isEmpty() || !value.contains(separator.get())) {
      return value;
    }
    String[] parts = value.split(java.util.regex.Pattern.quote(separator.get()));
    List<String> more = java.util.Arrays.stream(parts).skip(1).map(String::strip).filter(p -> !p.isEmpty()).toList();
    if (!more.isEmpty()) {
      customOut.put(field.name().toLowerCase(Locale.ROOT) + "_more", String.join(", ", more));
    }
    return parts[0].strip();
  }

  private static String cell(Map<String, String> row, String header) {
    if (header == null) {
      return "";
    }
    String value = row.get(header);
    return value == null ? "" : value.strip();
  }

  private static String key(String header) {
    return header.strip().toLowerCase(Locale.ROOT);
  }
}
