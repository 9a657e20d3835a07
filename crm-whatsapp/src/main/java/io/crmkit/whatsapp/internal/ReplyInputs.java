package io.crmkit.whatsapp.internal;

import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Inputs;
import io.crmkit.whatsapp.OutgoingMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The checks of a reply's values, each naming its field, before any SQL: core's characters rule
 * for the texts, and WhatsApp's own limits (a text of 4,096 characters, a caption of 1,024).
 * Everything checked here is stored in the reply's payload, so a restart sends it as asked.
 */
final class ReplyInputs {
  /** The longest free-form text WhatsApp sends. */
  static final int MAX_TEXT = 4096;
  private static final int MAX_CAPTION = 1024;
  private static final int MAX_FILENAME = 255;
  private static final int MAX_PARAMETER = 1024;
  private static final int MAX_PARAMETERS = 100;
  private static final Pattern TEMPLATE_NAME = Pattern.compile("[a-z0-9_]{1,512}");
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(_[A-Z]{2})?");
  /** A public HTTPS link: no spaces or control characters, at most 2,048 characters in all. */
  private static final Pattern LINK = Pattern.compile("https://[^\\s\\p{Cc}]{1,2040}");
  /** An uploaded media's id as the media endpoint gives it: visible ASCII. */
  private static final Pattern MEDIA_ID = Pattern.compile("[\\x21-\\x7E]{1,256}");

  private ReplyInputs() {}

  /** Free-form text: 1 to 4,096 characters, not blank, kept as written (line breaks allowed). */
  static String text(String text) {
    return Inputs.multiline("text", text, MAX_TEXT);
  }

  /** An approved template's name as WhatsApp writes them: lowercase letters, digits and underscores. */
  static String templateName(String name) {
    if (name == null || !TEMPLATE_NAME.matcher(name).matches()) {
      throw new ValidationException("templateName", "must be a template's name: 1 to 512 lowercase letters, digits"
          + " and underscores");
    }
    return name;
  }

  /** A template's language, such as {@code ar} or {@code en_US}. */
  static String languageCode(String code) {
    if (code == null || !LANGUAGE.matcher(code).matches()) {
      throw new ValidationException("languageCode", "must be a template language such as ar or en_US");
    }
    return code;
  }

  /**
   * A template's body parameters: at most 100, each one line of 1 to 1,024 characters (WhatsApp
   * refuses line breaks and tabs in a parameter), stripped.
   */
  static List<String> bodyParameters(List<String> parameters) {
    if (parameters == null) {
      throw new ValidationException("bodyParameters", "is required (empty for none)");
    }
    if (parameters.size() > MAX_PARAMETERS) {
      throw new ValidationException("bodyParameters", "at most " + MAX_PARAMETERS);
    }
    List<String> checked = new ArrayList<>(parameters.size());
    for (int i = 0; i < parameters.size(); i++) {
      checked.add(Inputs.text("bodyParameters[" + i + "]", parameters.get(i), MAX_PARAMETER));
    }
    return List.copyOf(checked);
  }

  /** Where media is: an {@code https://} link or an uploaded media id, either stored and sent as given. */
  static OutgoingMessage.MediaSource source(OutgoingMessage.MediaSource source) {
    if (source == null) {
      throw new ValidationException("source", "is required");
    }
    source.link().ifPresent(link -> {
      Inputs.characters("source", link, false);
      if (!LINK.matcher(link).matches()) {
        throw new ValidationException("source", "a link is an https:// URL of at most 2048 characters, without"
            + " spaces");
      }
    });
    source.mediaId().ifPresent(id -> {
      if (!MEDIA_ID.matcher(id).matches()) {
        throw new ValidationException("source", "a media id is 1 to 256 visible ASCII characters");
      }
    });
    return source;
  }

  /** A caption: 1 to 1,024 characters, not blank, kept as written. */
  static Optional<String> caption(Optional<String> caption) {
    return required("caption", caption).map(c -> Inputs.multiline("caption", c, MAX_CAPTION));
  }

  /** A document's file name: one line of 1 to 255 characters, stripped. */
  static Optional<String> filename(Optional<String> filename) {
    return required("filename", filename).map(f -> Inputs.text("filename", f, MAX_FILENAME));
  }

  private static <T> T required(String field, T value) {
    if (value == null) {
      throw new ValidationException(field, "is required (empty for none)");
    }
    return value;
  }
}
