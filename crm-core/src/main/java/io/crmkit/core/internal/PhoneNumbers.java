package io.crmkit.core.internal;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Inputs;

/**
 * Phone numbers to E.164 with libphonenumber: national formats read in the organization's region
 * ({@code 050 123 4567} in SA), international prefixes ({@code 00966…}, {@code +971…}), and any
 * Unicode decimal digits (Arabic-Indic included).
 */
public final class PhoneNumbers {
  /** The longest phone number as written that is read at all (spaces, dashes and a prefix included). */
  static final int MAX_WRITTEN = 64;

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final java.util.regex.Pattern E164 = java.util.regex.Pattern.compile("\\+[1-9][0-9]{6,14}");

  private PhoneNumbers() {}

  /** The region libphonenumber gives a calling code of no country (800, 870, 882, …). */
  static final String NON_GEOGRAPHIC = "001";

  /**
   * The region of a country calling code as a column writes it ({@code 966}, {@code +966},
   * {@code 00966}), {@link #NON_GEOGRAPHIC} for a code of no country, or empty if it is none.
   */
  static java.util.Optional<String> regionOfCallingCode(String code) {
    String digits = code.strip().replaceFirst("^(\\+|00)", "");
    if (!digits.matches("[1-9][0-9]{0,2}")) {
      return java.util.Optional.empty();
    }
    String region = UTIL.getRegionCodeForCountryCode(Integer.parseInt(digits));
    return "ZZ".equals(region) ? java.util.Optional.empty() : java.util.Optional.of(region);
  }

  /**
   * A phone number as written, trimmed and checked for what needs no region: not blank, at most
   * {@value #MAX_WRITTEN} characters, one line by the characters rule (libphonenumber would skip a
   * NUL or a control character and read the digits around it, so such input is refused here).
   */
  static String written(String field, String raw) {
    String phone = raw == null ? "" : raw.strip();
    if (phone.isEmpty()) {
      throw new ValidationException(field, "is empty");
    }
    if (phone.length() > MAX_WRITTEN) {
      throw new ValidationException(field, "must be at most " + MAX_WRITTEN + " characters");
    }
    Inputs.characters(field, phone, false);
    return phone;
  }

  /**
   * The number in E.164, read in {@code region} when written without a country code.
   *
   * @throws ValidationException naming {@code field} if it is not a valid number
   */
  public static String e164(String field, String raw, String region) {
    String written = written(field, raw);
    PhoneNumber number;
    try {
      number = UTIL.parse(written, region);
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
