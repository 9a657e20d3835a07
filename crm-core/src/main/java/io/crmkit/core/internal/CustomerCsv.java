package io.crmkit.core.internal;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.crmkit.core.customers.ImportIdentity;
import io.crmkit.core.customers.ImportMapping;
import io.crmkit.core.customers.ImportPreset;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Inputs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The CSV file of an import, read: its encoding from its byte order mark (UTF-8 without one, UTF-16
 * with one), its delimiter given or detected, streamed through Jackson's CSV reader a cell at a
 * time, the header checked and held against the import's mapping ({@link ImportPlan}), its rows
 * handed on for {@link ImportRow} to check. Bytes that are not of the encoding are never silently
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

  /** The most columns a header may name: several times what the widest exports write. */
  static final int MAX_COLUMNS = 5_000;

  /**
   * The most characters a row may hold in all its cells: a longer row is its row's error, read to
   * its end but not kept, so no row (nor one of a million delimiters) fills the heap.
   */
  static final int MAX_ROW = 1_000_000;

  private static final CsvMapper MAPPER = new CsvMapper(CsvFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_CELL).build()).build());

  /**
   * One data row of the file: the line it starts on (the header's is 1; a quoted cell may span
   * lines), its record number (the first data row is 1), its values by header, why it cannot be
   * read, if it cannot (then it has no values: nothing is shifted into a wrong field), and the
   * characters of its cells.
   */
  record Row(long line, long record, Map<String, String> values, Optional<String> unreadable, ImportPlan plan,
      long chars) {}

  /** The delimiters told apart when none is given: comma, semicolon (Excel in much of Europe), tab. */
  private static final String DELIMITERS = ",;\t";

  private final Reader reader;
  private JsonParser parser;
  /** Lines read before the parser's first (Excel's {@code sep=} line). */
  private long lineOffset;
  private final Optional<ImportMapping> mapping;
  private final ImportIdentity identity;
  private List<String> header;
  private ImportPlan plan;
  private long record;

  private CustomerCsv(Reader reader, Optional<ImportMapping> mapping, ImportIdentity identity) {
    this.reader = reader;
    this.mapping = mapping;
    this.identity = identity;
  }

  /**
   * Opens the file: its encoding from its byte order mark (UTF-8 without one; UTF-16 as Excel's
   * "Unicode text" writes it), then its delimiter, {@code delimiter} or else the one its first line
   * uses most (comma, semicolon or tab, outside quotes).
   */
  static CustomerCsv open(InputStream csv, Optional<Character> delimiter, Optional<ImportMapping> mapping,
      ImportIdentity identity) throws IOException {
    java.nio.charset.Charset[] encoding = new java.nio.charset.Charset[1];
    InputStream body = withoutBom(csv, encoding);
    Reader reader = new BufferedReader(new InputStreamReader(body, strict(encoding[0])), 65_536);
    try {
      CustomerCsv file = new CustomerCsv(reader, mapping, identity);
      char separator = delimiter.isPresent() ? delimiter.get() : file.detectDelimiter(reader);
      // Cells are taken as written: a control character in a header is refused, not dropped.
      file.parser = MAPPER.reader().with(CsvSchema.emptySchema().withColumnSeparator(separator))
          .createParser(reader);
      return file;
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  /**
   * The next row, or null after the last; blank lines are skipped.
   *
   * @throws ValidationException for a header that names no column to match customers by, or that
   *     is not text
   * @throws com.fasterxml.jackson.core.JsonProcessingException for malformed CSV or a cell over
   *     {@value #MAX_CELL} characters
   */
  Row next() throws IOException {
    while (true) {
      // Where the record starts: where the previous one (a blank line is one, skipped) ended.
      long line = parser.currentLocation().getLineNr() + lineOffset;
      Cells cells = cells(header == null ? MAX_COLUMNS + 1 : header.size());
      if (cells == null) {
        if (header == null) {
          throw new ValidationException("header", "the file is empty: it needs a header line naming its columns");
        }
        return null;
      }
      List<String> values = cells.values;
      if (!cells.nonBlank) {
        continue; // a blank line, or one of delimiters only as spreadsheets write empty rows
      }
      if (header == null) {
        if (cells.count > MAX_COLUMNS || cells.chars > MAX_ROW) {
          throw new ValidationException("header", cells.count > MAX_COLUMNS ? "names more than " + MAX_COLUMNS
              + " columns" : "is over " + MAX_ROW + " characters");
        }
        checkHeader(values);
        header = values;
        List<String> named = values.stream().filter(h -> !h.isBlank()).toList();
        plan = ImportPlan.of(mapping.orElseGet(() -> ImportPreset.detect(named).map(ImportPreset::mapping)
            .orElse(ImportMapping.standard())), named, identity);
        continue;
      }
      record++;
      if (cells.chars > MAX_ROW) {
        return new Row(line, record, Map.of(), Optional.of("is over " + MAX_ROW + " characters; nothing of it is"
            + " read"), plan, 0);
      }
      if (cells.count != header.size()) {
        return new Row(line, record, Map.of(), Optional.of("has " + cells.count + " fields where the header has "
            + header.size() + "; nothing of it is read"), plan, 0);
      }
      Map<String, String> byHeader = new LinkedHashMap<>();
      for (int i = 0; i < values.size(); i++) {
        if (!header.get(i).isBlank()) {
          byHeader.put(header.get(i), values.get(i));
        }
      }
      return new Row(line, record, byHeader, Optional.empty(), plan, cells.chars);
    }
  }

  /** A record's cells: the first ones kept, all counted. */
  private static final class Cells {
    final List<String> values = new ArrayList<>();
    int count;
    long chars;
    /** Whether a cell, kept or not, holds more than spaces: a row of none is a blank line. */
    boolean nonBlank;
  }

  /**
   * The next record, or null after the last: its first {@code keep} cells while they are within
   * {@link #MAX_ROW} characters; the rest read, counted and dropped.
   */
  private Cells cells(int keep) throws IOException {
    JsonToken token = parser.nextToken();
    if (token == null) {
      return null;
    }
    if (token != JsonToken.START_ARRAY) {
      throw new IllegalStateException("the CSV reader gave " + token + " for a record");
    }
    Cells cells = new Cells();
    for (token = parser.nextToken(); token != null && token != JsonToken.END_ARRAY; token = parser.nextToken()) {
      String text = parser.getText();
      cells.count++;
      cells.chars += text.length();
      cells.nonBlank |= !text.isBlank();
      if (cells.count <= keep && cells.chars <= MAX_ROW) {
        cells.values.add(text);
      }
    }
    return cells;
  }

  @Override
  public void close() throws IOException {
    try {
      parser.close();
    } finally {
      reader.close();
    }
  }

  /** Blank header cells leave their columns out; two names equal but for case or spaces are refused. */
  private static void checkHeader(List<String> headers) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String header : headers) {
      if (!header.isBlank() && !seen.add(header.strip().toLowerCase(Locale.ROOT))) {
        throw new ValidationException("header", "names the column \"" + header.strip() + "\" twice");
      }
    }
    for (String header : headers) {
      if (notUtf8(header)) {
        throw new ValidationException("header", "a column name holds bytes that are not UTF-8");
      }
      Inputs.characters("header", header, false);
    }
  }

  /** Whether the decoder met bytes that are not UTF-8 in {@code text}: an unpaired {@link #NOT_UTF8}. */
  static boolean notUtf8(String text) {
    for (int i = text.indexOf(NOT_UTF8); i >= 0; i = text.indexOf(NOT_UTF8, i + 1)) {
      if (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1))) {
        return true;
      }
    }
    return false;
  }

  /** The stream after its byte order mark, and the encoding the mark names (UTF-8 without one). */
  private static InputStream withoutBom(InputStream in, java.nio.charset.Charset[] encoding) throws IOException {
    PushbackInputStream pushback = new PushbackInputStream(Objects.requireNonNull(in, "csv"), 3);
    byte[] head = pushback.readNBytes(3);
    int b0 = head.length > 0 ? head[0] & 0xFF : -1;
    int b1 = head.length > 1 ? head[1] & 0xFF : -1;
    if (head.length == 3 && b0 == 0xEF && b1 == 0xBB && (head[2] & 0xFF) == 0xBF) {
      encoding[0] = StandardCharsets.UTF_8;
    } else if (b0 == 0xFF && b1 == 0xFE || b0 == 0xFE && b1 == 0xFF) {
      encoding[0] = b0 == 0xFF ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE;
      pushback.unread(head, 2, head.length - 2);
    } else {
      encoding[0] = StandardCharsets.UTF_8;
      pushback.unread(head);
    }
    return pushback;
  }

  /** A decoder that marks bytes that are not of {@code charset} with {@link #NOT_UTF8}, never replacing them silently. */
  private static CharsetDecoder strict(java.nio.charset.Charset charset) {
    return charset.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE).replaceWith(String.valueOf(NOT_UTF8));
  }

  /**
   * The delimiter the first line that is not blank uses most outside quotes (comma, semicolon or
   * tab; comma if none); or the one Excel's {@code sep=;} first line names, that line then consumed
   * ({@code lineOffset} becomes 1). Looks at most 64,000 characters ahead.
   */
  private char detectDelimiter(Reader reader) throws IOException {
    reader.mark(65_536);
    StringBuilder first = new StringBuilder();
    int[] counts = new int[DELIMITERS.length()];
    boolean quoted = false;
    for (int i = 0, c = reader.read(); c >= 0 && i < 64_000; i++, c = reader.read()) {
      if (!quoted && (c == '\n' || c == '\r')) {
        if (first.toString().isBlank()) {
          first.setLength(0);
          continue;
        }
        break;
      }
      first.append((char) c);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && DELIMITERS.indexOf(c) >= 0) {
        counts[DELIMITERS.indexOf(c)]++;
      }
    }
    reader.reset();
    String line = first.toString().strip();
    if (line.length() == 5 && line.regionMatches(true, 0, "sep=", 0, 4)) {
      // Excel's hint line: the delimiter, not a header. Consumed here; lines count it.
      for (int c = reader.read(); c >= 0 && c != '\n'; c = reader.read()) {
        // skip to the end of the hint's line
      }
      lineOffset = 1;
      return line.charAt(4);
    }
    int best = 0;
    for (int i = 1; i < counts.length; i++) {
      if (counts[i] > counts[best]) {
        best = i;
      }
    }
    return DELIMITERS.charAt(best);
  }
}
