package io.crmkit.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.core.exception.ValidationException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks of input values, one rule each for every module (tags, emails, page sizes, custom
 * fields, …), each failing with a {@link ValidationException} that names the field, before any
 * SQL runs.
 */
public final class Inputs {
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+",
      Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?");
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Z]{2})?");
  private static final Set<String> REGIONS = Set.of(Locale.getISOCountries());
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

  private Inputs() {}

  /** A trimmed email address of at most 254 characters. */
  public static String email(String field, String value) {
    String email = required(field, value).strip();
    if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
      throw new ValidationException(field, "is not an email address");
    }
    return email;
  }

  /** A trimmed text of 1 to {@code max} characters. */
  public static String text(String field, String value, int max) {
    String text = required(field, value).strip();
    if (text.isEmpty()) {
      throw new ValidationException(field, "must not be blank");
    }
    if (text.length() > max) {
      throw new ValidationException(field, "must be at most " + max + " characters");
    }
    return text;
  }

  /** A slug, lowercased: letters, digits and inner hyphens, at most 64. */
  public static String slug(String field, String value) {
    String slug = required(field, value).strip().toLowerCase(Locale.ROOT);
    if (!SLUG.matcher(slug).matches()) {
      throw new ValidationException(field, "must be 1-64 lowercase letters, digits or inner hyphens");
    }
    return slug;
  }

  /** An ISO 3166-1 alpha-2 region, uppercased. */
  public static String region(String field, String value) {
    String region = required(field, value).strip().toUpperCase(Locale.ROOT);
    if (!REGIONS.contains(region)) {
      throw new ValidationException(field, "must be an ISO 3166-1 alpha-2 country code such as SA, was " + value);
    }
    return region;
  }

  /** A language tag such as {@code ar} or {@code en-GB}. */
  public static String language(String field, String value) {
    String language = required(field, value).strip();
    if (!LANGUAGE.matcher(language).matches()) {
      throw new ValidationException(field, "must be a language tag such as ar or en-GB");
    }
    return language;
  }

  /** The IANA name of a zone; fixed offsets other than UTC are refused (they know no daylight saving). */
  public static String timeZone(String field, ZoneId zone) {
    required(field, zone);
    if (zone.equals(ZoneOffset.UTC)) {
      return "UTC";
    }
    if (zone instanceof ZoneOffset) {
      throw new ValidationException(field, "must be an IANA region such as Asia/Riyadh, not an offset");
    }
    return zone.getId();
  }

  /** The most tags a record carries. */
  public static final int MAX_TAGS = 50;

  /**
   * Tags, the one rule for every module: each stripped, 1 to 64 characters without control
   * characters; duplicates merged, first order kept; at most {@value #MAX_TAGS}.
   */
  public static List<String> tags(String field, Collection<String> tags) {
    required(field, tags);
    LinkedHashSet<String> kept = new LinkedHashSet<>();
    for (String tag : tags) {
      String stripped = tag == null ? "" : tag.strip();
      if (stripped.isEmpty() || stripped.length() > 64 || CONTROL.matcher(stripped).find()) {
        throw new ValidationException(field, "a tag is 1 to 64 characters, not blank, without control characters");
      }
      kept.add(stripped);
    }
    if (kept.size() > MAX_TAGS) {
      throw new ValidationException(field, "at most " + MAX_TAGS + " tags");
    }
    return List.copyOf(kept);
  }

  /** A page size or batch size of 1 to {@code max}. */
  public static int pageSize(String field, int value, int max) {
    if (value < 1 || value > max) {
      throw new ValidationException(field, "must be 1 to " + max);
    }
    return value;
  }

  /** The most characters the custom fields of one record take as JSON. */
  public static final int MAX_CUSTOM_FIELDS_JSON = 64_000;

  /**
   * Custom fields, the one rule for every module: a JSON object of strings, numbers, booleans,
   * lists and objects (no nulls), keys 1 to 64 characters, at most
   * {@value #MAX_CUSTOM_FIELDS_JSON} characters as JSON; returned as that JSON object.
   */
  public static JsonNode customFields(String field, Map<String, Object> fields) {
    required(field, fields);
    for (String key : fields.keySet()) {
      if (key == null || key.isBlank() || key.length() > 64) {
        throw new ValidationException(field, "a key is 1 to 64 characters, not blank");
      }
    }
    Map<String, Object> copy;
    try {
      copy = Json.deepCopy(fields, field);
    } catch (NullPointerException e) {
      throw new ValidationException(field, "holds no nulls: " + e.getMessage());
    }
    JsonNode json;
    try {
      json = Json.MAPPER.valueToTree(copy);
    } catch (IllegalArgumentException e) {
      throw new ValidationException(field, "must be JSON values (strings, numbers, booleans, lists, maps)");
    }
    if (json.toString().length() > MAX_CUSTOM_FIELDS_JSON) {
      throw new ValidationException(field, "must be at most " + MAX_CUSTOM_FIELDS_JSON + " characters as JSON");
    }
    return json;
  }

  private static <T> T required(String field, T value) {
    if (value == null) {
      throw new ValidationException(field, "is required");
    }
    return value;
  }
}
