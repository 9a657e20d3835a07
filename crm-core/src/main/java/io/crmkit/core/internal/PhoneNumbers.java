package io.crmkit.core.internal;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.crmkit.core.ValidationException;

/**
 * Phone numbers to E.164 with libphonenumber: national formats read in the organization's region
 * ({@code 050 123 4567} in SA), international prefixes ({@code 00966…}, {@code +971…}), and any
 * Unicode decimal digits (Arabic-Indic included).
 */
final class PhoneNumbers {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  private PhoneNumbers() {}

  static String e164(String field, String raw, String region) {
    if (raw == null || raw.isBlank()) {
      throw new ValidationException(field, "is empty");
    }
    PhoneNumber number;
    try {
      number = UTIL.parse(raw, region);
    } catch (NumberParseException e) {
      throw new ValidationException(field, "is not a phone number (" + e.getErrorType() + ")");
    }
    if (!UTIL.isValidNumber(number)) {
      throw new ValidationException(field, "is not a valid phone number in region " + region
          + " or with its country code");
    }
    return UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
  }
}
