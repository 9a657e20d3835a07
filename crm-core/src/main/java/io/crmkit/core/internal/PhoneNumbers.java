package io.crmkit.core.internal;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.crmkit.core.exception.ValidationException;

/**
 * Phone numbers to E.164 with libphonenumber: national formats read in the organization's region
 * ({@code 050 123 4567} in SA), international prefixes ({@code 00966…}, {@code +971…}), and any
 * Unicode decimal digits (Arabic-Indic included).
 */
final class PhoneNumbers {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final java.util.regex.Pattern E164 = java.util.regex.Pattern.compile("\\+[1-9][0-9]{6,14}");

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
    String e164 = UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
    if (!E164.matcher(e164).matches()) {
      // libphonenumber accepts a few numbers outside E.164's 7 to 15 digits; the database does not.
      throw new ValidationException(field, "is not a phone number of 7 to 15 digits");
    }
    return e164;
  }
}
