package io.crmkit.core.customers;

import io.crmkit.core.exception.ValidationException;
import java.util.Objects;

/**
 * How {@link CustomerService#importCsv} runs.
 *
 * @param batchSize rows per transaction, 1 to 5,000 (500 by default): each batch commits on its own,
 *     so an import never holds locks for long
 * @param progress called after each batch, on the importing thread
 */
public record ImportOptions(int batchSize, ImportProgress progress) {
  /** Defaults: batches of 500, no progress reporting. */
  public static final ImportOptions DEFAULTS = new ImportOptions(500, report -> {});

  /**
   * Creates the options.
   *
   * @throws ValidationException for a batch size outside 1 to 5,000
   */
  public ImportOptions {
    if (batchSize < 1 || batchSize > 5000) {
      throw new ValidationException("batchSize", "must be 1 to 5000");
    }
    Objects.requireNonNull(progress, "progress");
  }

  /** Receives the running totals after each batch, for a host's progress bar. */
  @FunctionalInterface
  public interface ImportProgress {
    /** Called with the totals so far. */
    void progress(ImportReport soFar);
  }
}
