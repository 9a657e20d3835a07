package io.crmkit.core.internal;

import io.crmkit.core.customers.CustomerUpdate;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Inputs;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The rules of a customer's own fields, checked in Java before any SQL (the table's CHECKs stay
 * the last word): names and companies, emails, phones in the organization's region, the lead
 * score, the estimated value, tags.
 */
final class CustomerFields {
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+",
      Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern TAG = Pattern.compile("\\S(.{0,62}\\S)?");

  private CustomerFields() {}

  /** A field's new value, checked and normalized as on create; phones are read in {@code region}. */
  static String checked(CustomerUpdate.Field field, String value, String region) {
    return switch (field) {
      case FULL_NAME -> Inputs.text(field.key(), value, 255);
      case WHATSAPP_PHONE, PHONE -> PhoneNumbers.e164(field.key(), value, region);
      case EMAIL -> email(field.key(), value);
      case COMPANY -> Inputs.text(field.key(), value, 255);
      case POSITION -> Inputs.text(field.key(), value, 100);
      case NOTES -> value;
    };
  }

  /** The organization's default region, in which national phone numbers are read. */
  static String region(Tx tx) {
    return tx.mapper(CustomerMapper.class).region(tx.organizationId());
  }

  static String email(String field, String value) {
    if (value == null || value.strip().length() > 254 || !EMAIL.matcher(value.strip()).matches()) {
      throw new ValidationException(field, "is not an email address");
    }
    return value.strip();
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

  static List<String> tags(Collection<String> tags) {
    Objects.requireNonNull(tags, "tags");
    List<String> checked = new ArrayList<>();
    for (String tag : tags) {
      if (tag == null || !TAG.matcher(tag.strip()).matches()) {
        throw new ValidationException("tags", "a tag is 1 to 64 characters, not blank");
      }
      checked.add(tag.strip());
    }
    return checked;
  }
}
