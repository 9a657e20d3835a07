package io.crmkit.core.internal;

import io.crmkit.core.customers.ImportReport;
import io.crmkit.core.customers.ImportReport.RowError;
import java.util.ArrayList;

/** An import's running totals, batch by batch; of its errors, the first by line are kept. */
final class ImportTotals {
  long rowsRead;
  long inserted;
  long updated;
  long unchanged;
  long rejected;
  long lastLine;
  boolean cancelled;
  /** Of one batch: the rows it stored (inserted, updated or found unchanged), whose keys the import then remembers. */
  final java.util.List<com.fasterxml.jackson.databind.node.ObjectNode> stored = new ArrayList<>();
  /** Of one batch in a preview: the rows as they would be stored, shown if the batch goes through. */
  final java.util.List<com.fasterxml.jackson.databind.node.ObjectNode> landing = new ArrayList<>();
  /** Of one batch: the customers its rows matched (updated or unchanged), whose ids and keys the import then remembers. */
  final java.util.List<Rows.CustomerKey> matched = new ArrayList<>();
  /** The first {@link ImportReport#MAX_ERRORS} by line; more are counted, not kept. */
  final java.util.TreeMap<Long, RowError> errors = new java.util.TreeMap<>();

  void reject(RowError error) {
    rejected++;
    keep(error);
  }

  private void keep(RowError error) {
    errors.put(error.line(), error);
    if (errors.size() > ImportReport.MAX_ERRORS) {
      errors.pollLastEntry();
    }
  }

  void add(ImportTotals batch) {
    rowsRead += batch.rowsRead;
    inserted += batch.inserted;
    updated += batch.updated;
    unchanged += batch.unchanged;
    rejected += batch.rejected;
    batch.errors.values().forEach(this::keep);
  }

  ImportReport report(long bytesRead) {
    return new ImportReport(rowsRead, inserted, updated, unchanged, rejected, bytesRead, lastLine, cancelled,
        new ArrayList<>(errors.values()));
  }
}
