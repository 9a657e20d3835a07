package io.crmkit.core.customers;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an import of a file would do, from {@link CustomerService#previewCsv}, which changes nothing:
 * for a host's mapping screen.
 *
 * @param rows the first rows as they would be stored
 * @param report the whole file's outcome: rows that would be new, updated or unchanged, and every
 *     problem with its line. A row repeating a customer of an earlier batch (500 rows by default)
 *     counts as new here, where the import updates the customer the earlier row made
 */
public record ImportPreview(List<Row> rows, ImportReport report) {
  /** Checks the parts. */
  public ImportPreview {
    rows = List.copyOf(rows);
    Objects.requireNonNull(report, "report");
  }

  /**
   * A row as it would be stored: its fields by their API names ({@code fullName},
   * {@code whatsappPhone} in E.164, {@code email}, {@code phone}, {@code company}, {@code position},
   * {@code notes}, {@code tags}, {@code leadScore}, {@code externalId}, {@code customFields}), those it
   * fills only.
   *
   * @param line the file's line it starts on
   * @param fields its values, in the order of the fields above (a mapping screen's columns)
   */
  public record Row(long line, Map<String, Object> fields) {
    /** Checks the parts; the fields are copied, their order kept. */
    public Row {
      java.util.LinkedHashMap<String, Object> copy = new java.util.LinkedHashMap<>();
      fields.forEach((name, value) -> copy.put(java.util.Objects.requireNonNull(name, "field name"),
          java.util.Objects.requireNonNull(value, name)));
      fields = java.util.Collections.unmodifiableMap(copy);
    }
  }
}
