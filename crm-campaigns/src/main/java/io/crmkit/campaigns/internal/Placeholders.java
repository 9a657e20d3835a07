package io.crmkit.campaigns.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.core.exception.ValidationException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Placeholders in a campaign's text and values: {@code {{field}}} or {@code {{field|fallback}}},
 * filled from the recipient's customer. A value that is empty (blank) takes the fallback; a
 * placeholder left without either is refused, never sent empty.
 */
final class Placeholders {
  /** The fields a placeholder may name, besides {@code custom.<key>}. */
  static final Set<String> FIELDS = Set.of("full_name", "first_name", "last_name", "company", "position", "phone",
      "email");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}|]*)(?:\\|([^{}]*))?}}");
  private static final Pattern CUSTOM = Pattern.compile("custom\\.[^\\s{}|]{1,64}");

  private Placeholders() {}

  /**
   * Checks that every placeholder of {@code text} names a known field and that no brace pair is
   * left open or unopened.
   *
   * @throws ValidationException naming {@code field}
   */
  static void check(String field, String text) {
    Matcher matcher = PLACEHOLDER.matcher(text);
    StringBuilder rest = new StringBuilder();
    int end = 0;
    while (matcher.find()) {
      String name = matcher.group(1).strip();
      if (!FIELDS.contains(name) && !CUSTOM.matcher(name).matches()) {
        throw new ValidationException(field, "has an unknown placeholder {{" + shown(name) + "}} (known: "
            + String.join(", ", FIELDS.stream().sorted().toList()) + ", custom.<key>)");
      }
      rest.append(text, end, matcher.start());
      end = matcher.end();
    }
    rest.append(text.substring(end));
    if (rest.indexOf("{{") >= 0 || rest.indexOf("}}") >= 0) {
      throw new ValidationException(field, "has a {{ or }} that is no placeholder");
    }
  }

  /**
   * {@code text} with every placeholder filled from {@code values}.
   *
   * @throws ValidationException naming {@code field} and the placeholder, for one without a value
   *     or a fallback
   */
  static String render(String field, String text, Values values) {
    Matcher matcher = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1).strip();
      String value = values.get(name);
      if (value == null || value.isBlank()) {
        value = matcher.group(2) == null ? null : matcher.group(2).strip();
      }
      if (value == null || value.isEmpty()) {
        throw new ValidationException(field, "{{" + name + "}} has no value for recipient " + values.recipient()
            + " and no fallback; give one, as {{" + name + "|…}}");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private static String shown(String name) {
    return name.length() <= 40 ? name : name.substring(0, 40) + "…";
  }

  /**
   * One recipient's values.
   *
   * @param recipient how messages name the recipient: its position and identity
   * @param to the recipient's WhatsApp identity: a phone in E.164 or a business-scoped user id
   */
  record Values(String recipient, String to, String fullName, String company, String position, String phone,
      String email, JsonNode customFields) {

    /** The values of a row of {@code renderValues}. */
    static Values of(CampaignRows.ValuesRow row) {
      String recipient = (row.position > 0 ? row.position + " (" + row.identity + ")" : row.identity);
      return new Values(recipient, row.identity, row.fullName, row.company, row.jobTitle,
          row.whatsappPhone != null ? row.whatsappPhone : row.identity, row.email, row.customFields);
    }

    /** The value of a field, or null. */
    String get(String name) {
      String full = fullName == null ? null : fullName.strip();
      switch (name) {
        case "full_name":
          return full;
        case "first_name":
          return full == null ? null : full.split("\\s+", 2)[0];
        case "last_name": {
          if (full == null) {
            return null;
          }
          String[] parts = full.split("\\s+", 2);
          return parts.length < 2 ? null : parts[1];
        }
        case "company":
          return company;
        case "position":
          return position;
        case "phone":
          return phone != null && phone.startsWith("+") ? phone : null;
        case "email":
          return email;
        default:
          JsonNode value = customFields == null ? null : customFields.get(name.substring("custom.".length()));
          return value != null && value.isValueNode() && !value.isNull() ? value.asText() : null;
      }
    }
  }
}
