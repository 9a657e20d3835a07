package io.crmkit.core.customers;

import io.crmkit.core.exception.ValidationException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How an import's columns become customers' fields: the answer of a host's mapping screen, a
 * {@link ImportPreset} for a common export, or {@link #standard()} (CRMKit's own header names).
 * Headers are matched ignoring case and surrounding spaces; a rule whose headers are not in the
 * file fills nothing.
 *
 * <pre>{@code
 * ImportMapping mapping = ImportMapping.builder()
 *     .join(ImportField.FULL_NAME, "First Name", "Last Name")
 *     .phone(ImportField.WHATSAPP_PHONE, "Country Code", "Mobile")
 *     .column(ImportField.EMAIL, "E-mail")
 *     .customField("Loyalty Card", "loyalty_card")
 *     .build();
 * customers.importCsv(file, ImportOptions.DEFAULTS.withMapping(mapping));
 * }</pre>
 */
public final class ImportMapping {
  /** How one field is filled. */
  public sealed interface Rule permits Column, Join, Phone {
    /** The field it fills. */
    ImportField field();
  }

  /**
   * The field from the first of {@code headers} whose cell is not blank.
   *
   * @param field the field
   * @param headers the columns, in order of preference
   */
  public record Column(ImportField field, List<String> headers) implements Rule {
    /** Checks the parts. */
    public Column {
      Objects.requireNonNull(field, "field");
      headers = checkedHeaders(headers, 1);
    }
  }

  /**
   * The field from the cells of {@code headers} that are not blank, joined by a space: first, middle
   * and last name into the full name.
   */
  public record Join(ImportField field, List<String> headers) implements Rule {
    /** Checks the parts. */
    public Join {
      Objects.requireNonNull(field, "field");
      headers = checkedHeaders(headers, 2);
    }
  }

  /**
   * A phone from a country calling code's column ({@code 966} or {@code +966}) and a number's
   * column, the number read as a national number of that country; a number that starts with
   * {@code +} is taken as it is.
   */
  public record Phone(ImportField field, String countryCodeHeader, String numberHeader) implements Rule {
    /** Checks the parts. */
    public Phone {
      Objects.requireNonNull(field, "field");
      if (field != ImportField.WHATSAPP_PHONE && field != ImportField.PHONE) {
        throw new ValidationException("field", "a phone rule fills WHATSAPP_PHONE or PHONE, not " + field);
      }
      countryCodeHeader = header(countryCodeHeader);
      numberHeader = header(numberHeader);
    }
  }

  private final Map<ImportField, Rule> rules;
  private final Map<String, String> customFields;
  private final boolean otherColumnsAsCustomFields;
  private final Optional<String> multiValueSeparator;

  private ImportMapping(Builder builder) {
    this.rules = java.util.Collections.unmodifiableMap(new EnumMap<>(builder.rules));
    this.customFields = Map.copyOf(builder.customFields);
    this.otherColumnsAsCustomFields = builder.otherColumnsAsCustomFields;
    this.multiValueSeparator = builder.multiValueSeparator;
  }

  /** A mapping to build. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * CRMKit's own header names, and today's: {@code full_name} (or {@code name}),
   * {@code whatsapp_phone} (or {@code whatsapp}), {@code email}, {@code phone}, {@code company},
   * {@code position}, {@code tags}, {@code notes}, {@code lead_score}, spaces and hyphens read as
   * {@code _}; every other column a custom field named by its header.
   */
  public static ImportMapping standard() {
    return STANDARD;
  }

  /** Each field's rule. */
  public Map<ImportField, Rule> rules() {
    return rules;
  }

  /** Columns kept as custom fields: header, then the custom field's key. */
  public Map<String, String> customFields() {
    return customFields;
  }

  /** Whether columns no rule names become custom fields named by their header (else they are left out). */
  public boolean otherColumnsAsCustomFields() {
    return otherColumnsAsCustomFields;
  }

  /**
   * What separates several values in one cell ({@code " ::: "} in Google's exports): the first is
   * the field's, the others are kept in the custom field {@code <field>_more} (tags take them all).
   */
  public Optional<String> multiValueSeparator() {
    return multiValueSeparator;
  }

  @Override
  public String toString() {
    return "ImportMapping[rules=" + rules.values() + ", customFields=" + customFields + ", otherColumnsAsCustomFields="
        + otherColumnsAsCustomFields + ", multiValueSeparator=" + multiValueSeparator + "]";
  }

  private static String header(String header) {
    Objects.requireNonNull(header, "header");
    String h = header.strip();
    if (h.isEmpty() || h.length() > 200 || h.chars().anyMatch(Character::isISOControl)) {
      throw new ValidationException("header", "must be 1 to 200 characters of one line: \"" + header + "\"");
    }
    return h;
  }

  private static List<String> checkedHeaders(List<String> headers, int least) {
    Objects.requireNonNull(headers, "headers");
    if (headers.size() < least || headers.size() > 20) {
      throw new ValidationException("headers", "must name " + least + " to 20 columns");
    }
    return headers.stream().map(ImportMapping::header).toList();
  }

  private static final ImportMapping STANDARD = builder()
      .column(ImportField.FULL_NAME, "full_name", "full name", "full-name", "name")
      .column(ImportField.WHATSAPP_PHONE, "whatsapp_phone", "whatsapp phone", "whatsapp-phone", "whatsapp")
      .column(ImportField.EMAIL, "email").column(ImportField.PHONE, "phone").column(ImportField.COMPANY, "company")
      .column(ImportField.POSITION, "position").column(ImportField.TAGS, "tags").column(ImportField.NOTES, "notes")
      .column(ImportField.LEAD_SCORE, "lead_score", "lead score", "lead-score")
      .column(ImportField.EXTERNAL_ID, "external_id", "external id", "external-id")
      .otherColumnsAsCustomFields(true).build();

  /** Builds a mapping; each field takes one rule (a later one replaces it). */
  public static final class Builder {
    private final Map<ImportField, Rule> rules = new EnumMap<>(ImportField.class);
    private final Map<String, String> customFields = new LinkedHashMap<>();
    private boolean otherColumnsAsCustomFields;
    private Optional<String> multiValueSeparator = Optional.empty();

    private Builder() {}

    /** {@code field} from the first of {@code headers} whose cell is not blank. */
    public Builder column(ImportField field, String... headers) {
      rules.put(Objects.requireNonNull(field, "field"), new Column(field, List.of(headers)));
      return this;
    }

    /** {@code field} from the cells of {@code headers} that are not blank, joined by a space. */
    public Builder join(ImportField field, String... headers) {
      rules.put(Objects.requireNonNull(field, "field"), new Join(field, List.of(headers)));
      return this;
    }

    /** A phone from a country code's column and a national number's column. */
    public Builder phone(ImportField field, String countryCodeHeader, String numberHeader) {
      rules.put(Objects.requireNonNull(field, "field"), new Phone(field, countryCodeHeader, numberHeader));
      return this;
    }

    /**
     * The column {@code header} kept as the custom field {@code key}.
     *
     * @throws ValidationException for a key that is blank or over 64 characters
     */
    public Builder customField(String header, String key) {
      Objects.requireNonNull(key, "key");
      if (key.isBlank() || key.strip().length() > 64 || key.chars().anyMatch(Character::isISOControl)) {
        throw new ValidationException("key", "a custom field's key is 1 to 64 characters of one line");
      }
      customFields.put(header(header), key.strip());
      return this;
    }

    /** Whether columns no rule names become custom fields named by their header; no by default. */
    public Builder otherColumnsAsCustomFields(boolean keep) {
      this.otherColumnsAsCustomFields = keep;
      return this;
    }

    /** What separates several values in one cell, such as Google's {@code " ::: "}; none by default. */
    public Builder multiValueSeparator(String separator) {
      Objects.requireNonNull(separator, "separator");
      if (separator.isEmpty() || separator.length() > 10 || separator.indexOf('\n') >= 0) {
        throw new ValidationException("multiValueSeparator", "must be 1 to 10 characters of one line");
      }
      this.multiValueSeparator = Optional.of(separator);
      return this;
    }

    /** The mapping. */
    public ImportMapping build() {
      return new ImportMapping(this);
    }
  }
}
