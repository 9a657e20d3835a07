package io.crmkit.core.customers;

import java.util.List;
import java.util.Objects;

/**
 * What an import did (or, for a preview, would do). Rows that failed are listed with their line and
 * reason, the first {@value #MAX_ERRORS} of them; every other row landed (or was already there
 * unchanged).
 *
 * @param rowsRead data rows read (the header not counted)
 * @param inserted new customers
 * @param updated existing customers whose values the row changed
 * @param unchanged rows that matched a customer and changed nothing
 * @param rejected rows that did not land, all of them
 * @param bytesRead bytes of the file read so far, for a progress bar against the file's size (the
 *     reader runs ahead of the rows counted: by its 64 KB buffer, and after a cancel by the rest of
 *     the batch it stopped in)
 * @param lastLine the file's line of the last row read: with {@code cancelled}, the rows up to it
 *     are done and the others were not read
 * @param cancelled whether the options' cancel stopped it
 * @param errors the first {@value #MAX_ERRORS} rows that did not land, by line
 */
public record ImportReport(long rowsRead, long inserted, long updated, long unchanged, long rejected, long bytesRead,
    long lastLine, boolean cancelled, List<RowError> errors) {
  /** The most row errors a report lists; {@link #rejected()} counts them all. */
  public static final int MAX_ERRORS = 1000;

  /** Creates the report. */
  public ImportReport {
    errors = List.copyOf(errors);
  }

  /**
   * One row that did not land.
   *
   * @param line the line of the file the row starts on, as a text editor numbers it (the header's
   *     is 1; a quoted cell may span lines)
   * @param record the row's record number: the first row after the header is 1
   * @param field the column, as named in the API ({@code whatsappPhone}, {@code email}, …), or {@code row}
   * @param reason why
   */
  public record RowError(long line, long record, String field, String reason) {
    /** Creates the error. */
    public RowError {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
