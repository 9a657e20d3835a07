package io.crmkit.ticketing;

import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Inputs;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A file attached to a comment: its metadata only; the file itself stays where the host keeps it.
 *
 * @param url where the file is, {@code http(s)://…}, at most 2,048 characters, without spaces
 * @param filename the name it is shown with, one line of 1 to 255 characters
 * @param size its size in bytes, 0 or more
 */
public record Attachment(String url, String filename, long size) {
  private static final Pattern URL = Pattern.compile("https?://[^\\s\\p{Cc}]{1,2040}");

  /**
   * Creates the attachment.
   *
   * @throws ValidationException on {@code url}, {@code filename} or {@code size}, for a value that
   *     is not one, as every draft's bad input
   */
  public Attachment {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(filename, "filename");
    Inputs.characters("url", url, false);
    if (!URL.matcher(url).matches()) {
      throw new ValidationException("url", "must be an http(s) URL of at most 2048 characters, without spaces");
    }
    filename = Inputs.text("filename", filename, 255);
    if (size < 0) {
      throw new ValidationException("size", "must not be negative");
    }
  }
}
