package io.crmkit.core.internal;

import io.crmkit.core.customers.CustomerUpdate;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.spi.Json;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The rules of a customer's own fields, checked in Java before any SQL (the table's CHECKs stay
 * the last word): names and companies, emails, phones in the organization's region, the lead
 * score, the estimated value, tags. Emails and tags follow the one rule of {@link Inputs}.
 */
final class CustomerFields {

  /** The longest notes a customer keeps. */
  static final int MAX_NOTES = 20_000;

  private CustomerFields() {}

  /**
   * A contact field's value, checked and normalized, the same on create, update and import; phones
   * are read in {@code region}.
   */
  static String checked(CustomerUpdate.Field field, String value, String region) {
    return switch (field) {
      case FULL_NAME -> Inputs.text(field.key(), value, 255);
      case WHATSAPP_PHONE, PHONE -> PhoneNumbers.e164(field.key(), value, region);
      case EMAIL -> Inputs.email(field.key(), value);
      case COMPANY -> Inputs.text(field.key(), value, 255);
      case POSITION -> Inputs.text(field.key(), value, 100);
      case NOTES -> Inputs.multiline(field.key(), value, MAX_NOTES);
      case EXTERNAL_ID -> Inputs.text(field.key(), value, 255);
    };
  }

  /**
   * A contact field's value checked for all that needs no region, before any SQL: every field but
   * the phones in full (as {@link #checked}), the phones as written ({@link PhoneNumbers#written});
   * {@link #checked} normalizes the phones once the region is read.
   */
  static String written(CustomerUpdate.Field field, String value) {
    return switch (field) {
      case WHATSAPP_PHONE, PHONE -> PhoneNumbers.written(field.key(), value);
      default -> checked(field, value, null);
    };
  }

  /** The organization's default region, in which national phone numbers are read. */
  static String region(Tx tx) {
    return tx.mapper(CustomerMapper.class).region(tx.organizationId());
  }

  static int score(int score) {
    if (score < 0 || score > 100) {
      throw new ValidationException("leadScore", "must be 0 to 100");
    }
    return score;
  }

  static void value(long minorUnits, String currency) {
    if (minorUnits < 0 || minorUnits > 1_000_000_000_000_000L) {
      throw new ValidationException("estimatedValue", "must be 0 to 10^15 minor units");
    }
    if (currency == null || !currency.matches("[A-Z]{3}")) {
      throw new ValidationException("currency", "must be an ISO 4217 code such as SAR");
    }
  }

  /**
   * A list's custom field filter: the key by the rule of custom field keys (1 to 64 characters, not
   * blank, one line), the value a string (by the characters rule), a finite number or a boolean;
   * returned as the JSON the list compares with.
   */
  static String customFieldFilter(String key, Object value) {
    if (key.isBlank() || key.length() > 64) {
      throw new ValidationException("customFieldKey", "a key is 1 to 64 characters, not blank");
    }
    Inputs.characters("customFieldKey", key, false);
    if (value instanceof String text) {
      if (text.length() > Inputs.MAX_CUSTOM_FIELDS_JSON) {
        throw new ValidationException("customFieldValue", "must be at most " + Inputs.MAX_CUSTOM_FIELDS_JSON
            + " characters");
      }
      Inputs.characters("customFieldValue", text, true);
    } else if (value instanceof Number number) {
      Inputs.number("customFieldValue", number);
    } else if (!(value instanceof Boolean)) {
      throw new ValidationException("customFieldValue", "must be a string, number or boolean");
    }
    return Json.MAPPER.valueToTree(value).toString();
  }

  /** Tags of a customer or a list's filter, by {@link Inputs#tags}: stripped, each once. */
  static List<String> tags(Collection<String> tags) {
    return Inputs.tags("tags", Objects.requireNonNull(tags, "tags"));
  }
}
