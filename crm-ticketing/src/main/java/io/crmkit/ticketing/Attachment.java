package io.crmkit.ticketing;

import java.util.Objects;

/**
 * A file attached to a comment: its metadata only; the file itself stays where the host keeps it.
 *
 * @param url where the file is, {@code https://…}
 * @param filename the name it is shown with
 * @param size its size in bytes
 */
public record Attachment(String url, String filename, long size) {
  /** Creates the attachment. */
  public Attachment {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(filename, "filename");
    if (!url.matches("https?://\\S{1,2040}")) {
      throw new IllegalArgumentException("url must be an http(s) URL, was " + url);
    }
    if (filename.isBlank() || filename.length() > 255) {
      throw new IllegalArgumentException("filename must be 1 to 255 characters, not blank");
    }
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative, was " + size);
    }
  }
}
