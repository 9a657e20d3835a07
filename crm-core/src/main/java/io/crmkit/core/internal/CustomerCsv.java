package io.crmkit.core.internal;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.crmkit.core.customers.CustomerUpdate.Field;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.spi.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The CSV file of an import, read: UTF-8 (a BOM skipped) streamed through Jackson's CSV reader, the
 * header checked, and each row turned into the JSON object the import statements read, every cell
 * checked as the services check the same field. Bytes that are not UTF-8 are never silently
 * replaced: a cell holding them is a bad cell (the row's error names its column), a header holding
 * them is refused.
 */
final class CustomerCsv implements AutoCloseable {
  /**
   * What the decoder puts for bytes that are not UTF-8: an unpaired low surrogate, which decoding
   * UTF-8 can never produce (a surrogate written in UTF-8 is itself malformed), so a cell that
   * holds one held bad bytes, unlike one holding U+FFFD, which is a character like any other.
   */
  private static final char NOT_UTF8 = '\uDFFF';

  /**
   * The longest cell read: more than any field takes (custom fields: 64,000 as JSON), so a longer
   * one (or an unclosed quote running on) is refused as the parser meets it, not held in memory.
   */
  static final int MAX_CELL = 100_000;

  private static final CsvMapper MAPPER = new CsvMapper(CsvFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_CELL).build()).build());

  private static final Map<String, String> COLUMNS = Map.ofEntries(
      Map.entry("full_name", "fullName"), Map.entry("name", "fullName"),
      Map.entry("whatsapp_phone", "whatsappPhone"), Map.entry("whatsapp", "whatsappPhone"),
      Map.entry("email", "email"), Map.entry("phone", "phone"), Map.entry("company", "company"),
      Map.entry("position", "position"), Map.entry("tags", "tags"), Map.entry("notes", "notes"),
      Map.entry("lead_score", "leadScore"));

  /** One data row of the file: its record number (header = 1) and values by header. */
  record Row(long line, Map<String, String> values) {}

  private final Reader reader;
  private final MappingIterator<Map<String, String>> rows;
  private long line = 1;
  private boolean headerChecked;

  private CustomerCsv(Reader reader, MappingIterator<Map<String, String>> rows) {
    this.reader = reader;
    this.rows = rows;
  }

  /** Opens the file; nothing is read but the BOM. */
  static CustomerCsv open(InputStream csv) throws IOException {
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE).replaceWith(String.valueOf(NOT_UTF8));
    Reader reader = new InputStreamReader(withoutBom(csv), utf8);
    try {
      // Header names are taken as written (Jackson would trim control characters with spaces) and
      // stripped here, so a control character in one is refused, not dropped.
      return new CustomerCsv(reader, MAPPER.readerFor(Map.class)
          .with(CsvSchema.emptySchema().withHeader()).without(CsvParser.Feature.TRIM_HEADER_SPACES)
          .readValues(reader));
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  /**
   * The next row, or null after the last.
   *
   * @throws ValidationException for a header that names no column to match customers by, or that
   *     is not text
   * @throws com.fasterxml.jackson.core.JsonProcessingException for malformed CSV or a cell over
   *     {@value #MAX_CELL} characters
   */
  Row next() throws IOException {
    if (!rows.hasNextValue()) {
      return null;
    }
    Map<String, String> values = rows.nextValue();
    if (!headerChecked) {
      checkHeader(values.keySet());
      headerChecked = true;
    }
    return new Row(++line, values);
  }

  @Override
  public void close() throws IOException {
    try {
      rows.close();
    } finally {
      reader.close();
    }
  }

  private static void checkHeader(Set<String> headers) {
    for (String header : headers) {
      if (notUtf8(header)) {
        throw new ValidationException("header", "a column name holds bytes that are not UTF-8");
      }
      Inputs.characters("header", header, false);
      // Columns that are not a customer field become custom fields, named by their header: the
      // one rule for custom field names holds for them too.
      if (COLUMNS.get(normalize(header)) == null && (header.isBlank() || header.strip().length() > 64)) {
        throw new ValidationException("header", "a column that is a custom field needs a name of 1 to 64"
            + " characters: \"" + header + "\"");
      }
    }
    boolean key = headers.stream().map(CustomerCsv::normalize)
        .anyMatch(h -> "whatsappPhone".equals(COLUMNS.get(h)) || "email".equals(COLUMNS.get(h)));
    if (!key) {
      throw new ValidationException("header", "needs a whatsapp_phone or an email column to match customers by");
    }
  }

  /**
   * A row as the JSON object the import statements read with jsonb_to_recordset, each cell checked
   * as the services check its field, phones read in {@code region}.
   *
   * @throws ValidationException naming the column's field for the row's first bad cell
   */
  static ObjectNode prepare(Row row, String region) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("line", row.line());
    Map<String, Object> custom = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : row.values.entrySet()) {
      String value = e.getValue() == null ? "" : e.getValue().strip();
      if (value.isEmpty()) {
        continue;
      }
      String field = COLUMNS.get(normalize(e.getKey()));
      String name = field != null ? field : "customFields." + e.getKey().strip();
      if (notUtf8(value)) {
        throw new ValidationException(name, "holds bytes that are not UTF-8");
      }
      if (field == null) {
        custom.put(e.getKey().strip(), value);
        continue;
      }
      switch (field) {
        case "fullName" -> node.put("full_name", CustomerFields.checked(Field.FULL_NAME, value, region));
        case "whatsappPhone" -> node.put("whatsapp_phone", CustomerFields.checked(Field.WHATSAPP_PHONE, value, region));
        case "email" -> {
          String email = CustomerFields.checked(Field.EMAIL, value, region);
          node.put("email", email);
          node.put("email_key", email.toLowerCase(Locale.ROOT));
        }
        case "phone" -> node.put("phone", CustomerFields.checked(Field.PHONE, value, region));
        case "company" -> node.put("company", CustomerFields.checked(Field.COMPANY, value, region));
        case "position" -> node.put("position", CustomerFields.checked(Field.POSITION, value, region));
        case "notes" -> node.put("notes", CustomerFields.checked(Field.NOTES, value, region));
        case "tags" -> {
          ArrayNode tags = node.putArray("tags");
          CustomerFields.tags(Arrays.stream(value.split(";")).filter(tag -> !tag.isBlank()).toList())
              .forEach(tags::add);
        }
        case "leadScore" -> {
          try {
            int score = Integer.parseInt(value);
            if (score < 0 || score > 100) {
              throw new NumberFormatException();
            }
            node.put("lead_score", score);
          } catch (NumberFormatException ex) {
            throw new ValidationException("leadScore", "must be a whole number 0 to 100");
          }
        }
        default -> throw new IllegalStateException(field);
      }
    }
    node.set("custom_fields", Inputs.customFields("customFields", custom));
    if (!node.hasNonNull("whatsapp_phone") && !node.hasNonNull("email")) {
      throw new ValidationException("whatsappPhone", "a row needs a WhatsApp phone or an email to be matched by");
    }
    return node;
  }

  /** Whether the decoder met bytes that are not UTF-8 in {@code text}: an unpaired {@link #NOT_UTF8}. */
  private static boolean notUtf8(String text) {
    for (int i = text.indexOf(NOT_UTF8); i >= 0; i = text.indexOf(NOT_UTF8, i + 1)) {
      if (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1))) {
        return true;
      }
    }
    return false;
  }

  private static String normalize(String header) {
    return header.strip().toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
  }

  private static InputStream withoutBom(InputStream in) throws IOException {
    PushbackInputStream pushback = new PushbackInputStream(Objects.requireNonNull(in, "csv"), 3);
    byte[] head = pushback.readNBytes(3);
    boolean bom = head.length == 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF;
    if (!bom) {
      pushback.unread(head);
    }
    return pushback;
  }
}
