package io.crmkit.core.customers;

import io.crmkit.core.exception.ValidationException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * How {@link CustomerService#importCsv} runs.
 *
 * @param batchSize rows per transaction, 1 to 5,000 (500 by default): each batch commits on its own,
 *     so an import never holds locks for long
 * @param progress called after each batch, on the importing thread
 * @param delimiter the file's delimiter; empty (the default) to take the one its header line uses
 *     most outside quotes: comma, semicolon (as Excel writes CSV in much of Europe and the Middle
 *     East) or tab
 * @param mapping how the columns become fields; empty (the default) for the {@link ImportPreset}
 *     whose export writes the file's header, else {@link ImportMapping#standard()}
 * @param cancel asked after each batch (on the importing thread), and between the rows of a batch
 *     that failed and is replayed row by row: true stops the import there, what committed before
 *     it kept ({@link ImportReport#cancelled()}, {@link ImportReport#lastLine()})
 * @param identity what matches a row to an existing customer: the WhatsApp phone, else the email,
 *     by default
 */
public record ImportOptions(int batchSize, ImportProgress progress, Optional<Character> delimiter,
    Optional<ImportMapping> mapping, BooleanSupplier cancel, ImportIdentity identity) {
  /** Defaults: batches of 500, no progress reporting, the delimiter detected. */
  public static final ImportOptions DEFAULTS = new ImportOptions(500, report -> {});

  /**
   * Creates the options.
   *
   * @throws ValidationException for a batch size outside 1 to 5,000, or a delimiter that is a
   *     quote, a line break, a letter or a digit
   */
  public ImportOptions {
    if (batchSize < 1 || batchSize > 5000) {
      throw new ValidationException("batchSize", "must be 1 to 5000");
    }
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(delimiter, "delimiter");
    Objects.requireNonNull(mapping, "mapping");
    Objects.requireNonNull(cancel, "cancel");
    Objects.requireNonNull(identity, "identity");
    if (delimiter.isPresent() && (delimiter.get() == '"' || delimiter.get() == '\n' || delimiter.get() == '\r'
        || Character.isLetterOrDigit(delimiter.get()))) {
      throw new ValidationException("delimiter", "must not be a quote, a line break, a letter or a digit");
    }
  }

  /** The options with the delimiter and the mapping taken from the file. */
  public ImportOptions(int batchSize, ImportProgress progress) {
    this(batchSize, progress, Optional.empty(), Optional.empty(), () -> false, ImportIdentity.PHONE_THEN_EMAIL);
  }

  /** These options for a file separated by {@code delimiter}. */
  public ImportOptions withDelimiter(char delimiter) {
    return new ImportOptions(batchSize, progress, Optional.of(delimiter), mapping, cancel, identity);
  }

  /** These options with the columns mapped by {@code mapping}. */
  public ImportOptions withMapping(ImportMapping mapping) {
    return new ImportOptions(batchSize, progress, delimiter, Optional.of(Objects.requireNonNull(mapping, "mapping")),
        cancel, identity);
  }

  /** These options reporting each batch's totals to {@code progress}. */
  public ImportOptions withProgress(ImportProgress progress) {
    return new ImportOptions(batchSize, progress, delimiter, mapping, cancel, identity);
  }

  /** These options stopping after the batch (or replayed row) during which {@code cancel} turns true. */
  public ImportOptions withCancel(BooleanSupplier cancel) {
    return new ImportOptions(batchSize, progress, delimiter, mapping, cancel, identity);
  }

  /** These options matching rows to customers by {@code identity}. */
  public ImportOptions withIdentity(ImportIdentity identity) {
    return new ImportOptions(batchSize, progress, delimiter, mapping, cancel, identity);
  }

  /** These options with the columns mapped by {@code preset}'s mapping. */
  public ImportOptions withPreset(ImportPreset preset) {
    return withMapping(Objects.requireNonNull(preset, "preset").mapping());
  }

  /** Receives the running totals after each batch, for a host's progress bar. */
  @FunctionalInterface
  public interface ImportProgress {
    /** Called with the totals so far. */
    void progress(ImportReport soFar);
  }
}
