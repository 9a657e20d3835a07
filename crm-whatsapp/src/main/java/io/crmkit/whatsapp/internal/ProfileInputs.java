package io.crmkit.whatsapp.internal;

import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Inputs;
import java.util.regex.Pattern;

/** The checks of a profile's values, each naming its field, before any SQL or any call to WhatsApp. */
final class ProfileInputs {
  private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7E]{1,10000}");

  private ProfileInputs() {}

  /** The name agents see: 1 to 100 characters, stripped. */
  static String name(String name) {
    return Inputs.text("name", name, 100);
  }

  /** A business number in E.164. */
  static String phoneNumber(String phoneNumber) {
    if (phoneNumber == null || !phoneNumber.matches("\\+[1-9][0-9]{6,14}")) {
      throw new ValidationException("phoneNumber", "must be E.164, such as +966501234567");
    }
    return phoneNumber;
  }

  /** One of Meta's numeric ids (a phone number id, an app id). */
  static String digits(String field, String value) {
    if (value == null || !value.matches("[0-9]{1,32}")) {
      throw new ValidationException(field, "must be the numeric id Meta shows");
    }
    return value;
  }

  /**
   * An access token: 1 to 10,000 visible ASCII characters, kept as given. It travels in an HTTP
   * header, where a space, a line break or a control character would break (or forge) the request.
   */
  static String session(String session) {
    if (session == null || !TOKEN.matcher(session).matches()) {
      throw new ValidationException("session", "must be 1 to 10000 visible ASCII characters (an access token,"
          + " without spaces or line breaks)");
    }
    return session;
  }
}
