package io.crmkit.ticketing.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.spi.Json;
import io.crmkit.ticketing.Attachment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The checks of a ticket's inputs, each failing with a {@link ValidationException} naming the
 * field before any SQL runs. The rules every module shares (tags, page sizes, custom fields, text)
 * are core's {@link Inputs}; what is a ticket's own (descriptions, number formats, attachments) is here.
 */
final class TicketInputs {
  /** The longest description or comment. */
  static final int MAX_TEXT = 20_000;
  private static final int MAX_ATTACHMENTS = 20;
  private static final int MAX_SLA_DAYS = 3650;
  private static final Pattern FORMAT_CHARACTERS = Pattern.compile("[A-Za-z0-9_./#{}-]{1,40}");
  private static final Pattern ONE_NUMBER = Pattern.compile(".*\\{N{1,9}\\}.*");
  private static final Pattern TWO_NUMBERS = Pattern.compile(".*\\{N+\\}.*\\{N+\\}.*");
  private static final Pattern PLACEHOLDERS = Pattern.compile("\\{(YYYY|YY|N{1,9})\\}");
  private static final Pattern LITERALS = Pattern.compile("[A-Za-z0-9_./#-]*");

  private TicketInputs() {}

  static String title(String title) {
    return Inputs.text("title", title, 255);
  }

  /**
   * A description of at most {@value #MAX_TEXT} characters, kept as written (tabs and line breaks
   * allowed); a blank one is none.
   */
  static Optional<String> description(String description) {
    return Inputs.optionalMultiline("description", description, MAX_TEXT);
  }

  /** A ticket number as the format writes them: one line of 1 to 60 characters, stripped. */
  static String number(String number) {
    return Inputs.text("number", number, 60);
  }

  /** The version a change expects: a ticket's versions start at 1. */
  static long expectedVersion(long version) {
    if (version < 1) {
      throw new ValidationException("expectedVersion", "must be a ticket's version, 1 or more");
    }
    return version;
  }

  /** A list's tag filter, as tags are stored. */
  static Optional<String> tagFilter(Optional<String> tag) {
    return tag.map(t -> Inputs.text("tag", t, 64));
  }

  /** A list's title text: blank is no filter; else one line of at most 255 characters (a title's most), stripped. */
  static Optional<String> textFilter(Optional<String> text) {
    return text.filter(t -> !t.isBlank()).map(t -> Inputs.text("text", t, 255));
  }

  /** A look-ahead of the SLA list: 0 to {@value #MAX_SLA_DAYS} days. */
  static Duration within(Duration within) {
    if (within.isNegative() || within.compareTo(Duration.ofDays(MAX_SLA_DAYS)) > 0) {
      throw new ValidationException("within", "must be 0 to " + MAX_SLA_DAYS + " days");
    }
    return within;
  }

  static String body(String body) {
    return Inputs.multiline("body", body, MAX_TEXT);
  }

  static List<String> tags(List<String> tags) {
    return Inputs.tags("tags", tags);
  }

  static JsonNode customFields(Map<String, Object> fields) {
    // Most tickets have none: the empty object without the copy and the size check.
    return fields.isEmpty() ? Json.MAPPER.createObjectNode() : Inputs.customFields("customFields", fields);
  }

  static int limit(int limit, int max) {
    return Inputs.pageSize("limit", limit, max);
  }

  /**
   * A number format: 1 to 40 letters, digits and {@code _ . / # -}, one {@code {N…}} of at most 9
   * N's, and optionally {@code {YYYY}} or {@code {YY}}.
   */
  static String numberFormat(String format) {
    if (!FORMAT_CHARACTERS.matcher(format).matches() || !ONE_NUMBER.matcher(format).matches()
        || TWO_NUMBERS.matcher(format).matches()
        || !LITERALS.matcher(PLACEHOLDERS.matcher(format).replaceAll("")).matches()) {
      throw new ValidationException("numberFormat", "must be 1 to 40 letters, digits and _ . / # -, with one {N…}"
          + " (as many N's as the minimum width, at most 9) and optionally {YYYY} or {YY}, e.g. TICKET-{YYYY}-{NNNN}");
    }
    return format;
  }

  /** A comment's attachments, at most {@value #MAX_ATTACHMENTS}, as the JSON array stored. */
  static JsonNode attachments(List<Attachment> attachments) {
    if (attachments.size() > MAX_ATTACHMENTS) {
      throw new ValidationException("attachments", "at most " + MAX_ATTACHMENTS + " per comment");
    }
    ArrayNode files = Json.MAPPER.createArrayNode();
    for (Attachment attachment : attachments) {
      ObjectNode file = files.addObject();
      file.put("url", attachment.url());
      file.put("filename", attachment.filename());
      file.put("size", attachment.size());
    }
    return files;
  }
}
