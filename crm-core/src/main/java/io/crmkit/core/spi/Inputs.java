package io.crmkit.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.internal.PhoneNumbers;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks of input values, one rule each for every module (text, tags, emails, page sizes, custom
 * fields, …), each failing with a {@link ValidationException} that names the field, before any
 * SQL runs.
 *
 * <p>The characters rule, for every text a host gives: control characters (NUL included, C0 and
 * C1) and unpaired surrogates (broken UTF-16, which no database encoding can store) are refused;
 * multi-line text ({@link #multiline}) may hold tabs and line breaks. Format characters such as
 * right-to-left marks pass unchanged. Text from outside (a WhatsApp message) is never refused for
 * its characters: {@link #outsideText} removes the controls and replaces broken UTF-16 with
 * U+FFFD, so what can be stored is stored.
 */
public final class Inputs {
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+",
      Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?");
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Z]{2})?");
  private static final Set<String> REGIONS = Set.of(Locale.getISOCountries());

  private Inputs() {}

  /** A trimmed email address of at most 254 characters. */
  public static String email(String field, String value) {
    String email = required(field, value).strip();
    characters(field, email, false);
    if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
      throw new ValidationException(field, "is not an email address");
    }
    return email;
  }

  /**
   * One line of text (a name, a title, a search query), trimmed: 1 to {@code max} characters (UTF-16
   * units, as Java counts them and PostgreSQL's {@code varchar(n)} never counts fewer), by the
   * characters rule with no line breaks.
   */
  public static String text(String field, String value, int max) {
    String text = required(field, value).strip();
    if (text.isEmpty()) {
      throw new ValidationException(field, "must not be blank");
    }
    length(field, text, max);
    characters(field, text, false);
    return text;
  }

  /**
   * Text of several lines (a note, a message, a comment), kept as written: not blank, at most
   * {@code max} characters, by the characters rule, tabs and line breaks allowed.
   */
  public static String multiline(String field, String value, int max) {
    String text = required(field, value);
    if (text.isBlank()) {
      throw new ValidationException(field, "must not be blank");
    }
    length(field, text, max);
    characters(field, text, true);
    return text;
  }

  /**
   * Like {@link #multiline}, for a field that may be left empty: blank text is none.
   */
  public static Optional<String> optionalMultiline(String field, String value, int max) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(multiline(field, value, max));
  }

  /**
   * Text from outside (a WhatsApp message, a contact's profile name), stored rather than refused:
   * control characters other than tab and line breaks are removed, broken UTF-16 (an unpaired
   * surrogate, which a JSON {@code \\ud800} escape can produce) becomes U+FFFD. {@code null} stays
   * {@code null}; text that needs no change is returned as it came.
   */
  public static String outsideText(String value) {
    if (value == null || firstBadCharacter(value, true) < 0) {
      return value;
    }
    StringBuilder clean = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        clean.append(c).append(value.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        clean.append('\uFFFD');
      } else if (!isControl(c, true)) {
        clean.append(c);
      }
    }
    return clean.toString();
  }

  /**
   * Checks {@code text} by the characters rule: no control characters (but tab and line breaks
   * when {@code lineBreaks}), no unpaired surrogates.
   */
  public static void characters(String field, String text, boolean lineBreaks) {
    int bad = firstBadCharacter(text, lineBreaks);
    if (bad >= 0) {
      char c = text.charAt(bad);
      throw new ValidationException(field, Character.isSurrogate(c)
          ? "holds broken UTF-16 (an unpaired surrogate) at index " + bad
          : "holds a control character (U+" + String.format("%04X", (int) c) + ") at index " + bad
              + (lineBreaks ? "; only tabs and line breaks are allowed" : ""));
    }
  }

  private static void length(String field, String text, int max) {
    if (text.length() > max) {
      throw new ValidationException(field, "must be at most " + max + " characters");
    }
  }

  private static int firstBadCharacter(String text, boolean lineBreaks) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c) || isControl(c, lineBreaks)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isControl(char c, boolean lineBreaks) {
    if (c >= 0x20 && c < 0x7F) {
      return false;
    }
    if (lineBreaks && (c == '\t' || c == '\n' || c == '\r')) {
      return false;
    }
    return Character.getType(c) == Character.CONTROL;
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
      throw new ValidationException(field, "must be an ISO 3166-1 alpha-2 country code such as SA");
    }
    return region;
  }

  /**
   * A phone number as people write it, in E.164: core's rule for customers' phones (national
   * formats read in {@code region}, international prefixes, any Unicode digits; at most 64
   * characters of one line).
   *
   * @throws ValidationException naming {@code field} if it is not a valid phone number
   */
  public static String phone(String field, String value, String region) {
    return PhoneNumbers.e164(field, value, region);
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
   * Tags, the one rule for every module: each stripped, 1 to 64 characters by the characters rule
   * (one line); duplicates merged, first order kept; at most {@value #MAX_TAGS}.
   */
  public static List<String> tags(String field, Collection<String> tags) {
    required(field, tags);
    LinkedHashSet<String> kept = new LinkedHashSet<>();
    for (String tag : tags) {
      String stripped = tag == null ? "" : tag.strip();
      if (stripped.isEmpty() || stripped.length() > 64) {
        throw new ValidationException(field, "a tag is 1 to 64 characters, not blank");
      }
      characters(field, stripped, false);
      kept.add(stripped);
    }
    if (kept.size() > MAX_TAGS) {
      throw new ValidationException(field, "at most " + MAX_TAGS + " tags");
    }
    return List.copyOf(kept);
  }

  /** A page size or batch size of 1 to {@code max}; zero, negative and absurd sizes are refused. */
  public static int pageSize(String field, int value, int max) {
    if (value < 1 || value > max) {
      throw new ValidationException(field, "must be 1 to " + max);
    }
    return value;
  }

  /** The most characters the custom fields of one record take as JSON. */
  public static final int MAX_CUSTOM_FIELDS_JSON = 64_000;

  /**
   * Custom fields, the one rule for every module: a JSON object of strings, finite numbers,
   * booleans, lists and objects (no nulls), keys 1 to 64 characters, every key and string by the
   * characters rule (strings may hold line breaks), at most {@value #MAX_CUSTOM_FIELDS_JSON}
   * characters as JSON; returned as that JSON object.
   */
  public static JsonNode customFields(String field, Map<String, Object> fields) {
    required(field, fields);
    for (String key : fields.keySet()) {
      if (key == null || key.isBlank() || key.length() > 64) {
        throw new ValidationException(field, "a key is 1 to 64 characters, not blank");
      }
      characters(field, key, false);
    }
    Map<String, Object> copy;
    try {
      copy = Json.deepCopy(fields, field);
    } catch (NullPointerException e) {
      // Json names the null's path with its keys shown safely (no control characters).
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
    storable(field, json);
    return json;
  }

  /** Every key and string of a JSON value by the characters rule, every number finite. */
  private static void storable(String path, JsonNode node) {
    if (node.isObject()) {
      for (var fields = node.fields(); fields.hasNext();) {
        var entry = fields.next();
        characters(path, entry.getKey(), false);
        storable(path + "." + entry.getKey(), entry.getValue());
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        storable(path + "[" + i + "]", node.get(i));
      }
    } else if (node.isTextual()) {
      characters(path, node.textValue(), true);
    } else if (node.isNumber() && (node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
      throw new ValidationException(path, "must be a finite number");
    } else if (node.isBigDecimal() || node.isBigInteger()) {
      number(path, node.decimalValue());
    }
  }

  /** The most digits a number of custom fields has before its point, and after it. */
  public static final int MAX_NUMBER_DIGITS = 1000;

  /**
   * A number the database stores as JSON: finite, and at most {@value #MAX_NUMBER_DIGITS} digits
   * before the point and after it (PostgreSQL's numeric refuses far larger exponents).
   */
  public static Number number(String field, Number value) {
    required(field, value);
    if (value instanceof Double || value instanceof Float) {
      if (!Double.isFinite(value.doubleValue())) {
        throw new ValidationException(field, "must be a finite number");
      }
      return value;
    }
    BigDecimal decimal = value instanceof BigDecimal d ? d
        : value instanceof BigInteger i ? new BigDecimal(i) : null;
    if (decimal != null && (decimal.precision() - decimal.scale() > MAX_NUMBER_DIGITS
        || decimal.scale() > MAX_NUMBER_DIGITS)) {
      throw new ValidationException(field, "must have at most " + MAX_NUMBER_DIGITS
          + " digits before the point and after it");
    }
    return value;
  }

  private static <T> T required(String field, T value) {
    if (value == null) {
      throw new ValidationException(field, "is required");
    }
    return value;
  }
}
