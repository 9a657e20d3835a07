package io.crmkit.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkit.core.customers.ImportIdentity;
import io.crmkit.core.customers.ImportOptions;
import io.crmkit.core.customers.ImportPreview;
import io.crmkit.core.customers.ImportReport;
import io.crmkit.core.customers.ImportReport.RowError;
import io.crmkit.core.exception.CommitOutcomeUnknownException;
import io.crmkit.core.exception.CrmException;
import io.crmkit.core.exception.ForbiddenException;
import io.crmkit.core.exception.NotMemberException;
import io.crmkit.core.exception.RetryableException;
import io.crmkit.core.exception.ServerFaultException;
import io.crmkit.core.exception.TenantContextException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.internal.CustomerCsv.Row;
import io.crmkit.core.platform.Limit;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * CSV import: the file read by {@link CustomerCsv}, every row validated in Java, written in batches
 * of one transaction each (rolled back, for a preview). Rows are matched as the options' identity
 * says (WhatsApp phone, else email, by default); matched rows update only what they change, new
 * rows are inserted, and a batch that fails for its rows is replayed row by row; a transient failure
 * is tried once more (not a lost commit when nothing matches rows) and then stops the import, as a
 * server fault does at once.
 */
final class CustomerImport {
  /**
   * The most characters a batch holds before it is written, whatever its row count: a batch of
   * 5,000 rows of a million characters each would not fit a heap.
   */
  static final long MAX_BATCH_CHARS = 16_000_000;

  private final CustomerActor actor;
  /** The keys of the rows this import stored: an instance runs one import. */
  private final ImportSeen seen = new ImportSeen();

  CustomerImport(CustomerActor actor) {
    this.actor = actor;
  }

  ImportReport run(InputStream csv, ImportOptions options) {
    return run(csv, options, null);
  }

  /** A dry run: the first {@code rows} rows as they would be stored, and the whole file's outcome. */
  ImportPreview preview(InputStream csv, ImportOptions options, int rows) {
    Preview preview = new Preview(rows);
    ImportReport report = run(csv, options, preview);
    return new ImportPreview(preview.rows.stream().map(ImportPreviewRows::of).toList(), report);
  }

  /**
   * The import, or with {@code preview} a dry run: each batch's transaction rolls back, and the
   * first rows as they would be stored are added to {@code preview} (up to its capacity).
   */
  ImportReport run(InputStream csv, ImportOptions options, Preview preview) {
    if (!actor.scope().standalone()) {
      // Batches commit one by one and a failed batch is replayed; inside one transaction neither works.
      throw new io.crmkit.core.exception.TenantContextException("an import runs its own transactions, one per batch;"
          + " call it outside inTransaction and joining");
    }
    ImportTotals totals = new ImportTotals();
    CountingInputStream counted = new CountingInputStream(java.util.Objects.requireNonNull(csv, "csv"));
    List<Row> batch = new ArrayList<>();
    try (CustomerCsv file = CustomerCsv.open(counted, options.delimiter(), options.mapping(), options.identity())) {
      long chars = 0;
      for (Row row = file.next(); row != null; row = file.next()) {
        batch.add(row);
        chars += row.chars();
        if (batch.size() == options.batchSize() || chars >= MAX_BATCH_CHARS) {
          chars = 0;
          flush(batch, totals, options, counted, preview);
          if (totals.cancelled || options.cancel().getAsBoolean()) {
            totals.cancelled = true;
            break;
          }
        }
      }
      flush(batch, totals, options, counted, preview);
    } catch (JsonProcessingException e) {
      // Malformed CSV (no header, an unclosed quote, a cell too long): the rows before the fault
      // land, then the fault is told. The parser's message names the fault and where, never a value.
      flush(batch, totals, options, counted, preview);
      String reason = overLimit(e) ? "a cell is over " + CustomerCsv.MAX_CELL + " characters"
          : e.getOriginalMessage();
      throw new ValidationException(totals.rowsRead == 0 ? "header" : "csv",
          reason + " (after " + totals.rowsRead + " rows)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CSV input", e);
    }
    return totals.report(counted.count());
  }

  /** Writes the rows gathered so far, if any (unless cancelled), and tells the progress. */
  private void flush(List<Row> batch, ImportTotals totals, ImportOptions options, CountingInputStream counted,
      Preview preview) {
    if (!batch.isEmpty() && !totals.cancelled) {
      totals.lastLine = write(List.copyOf(batch), totals, preview, options.cancel());
      options.progress().progress(totals.report(counted.count()));
      batch.clear();
    }
  }

  /** What a preview gathers: the first rows as they would be stored. */
  static final class Preview {
    final int capacity;
    final List<ObjectNode> rows = new ArrayList<>();
    /** Customers the dry run's batches would have made: counted against the limit by the next ones. */
    long inserted;

    Preview(int capacity) {
      this.capacity = capacity;
    }
  }

  /** A batch's totals carried out of its rolled-back transaction. */
  private static final class DryRun extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ImportTotals totals;

    DryRun(ImportTotals totals) {
      super(null, null, false, false);
      this.totals = totals;
    }
  }

  /**
   * Writes a batch in one transaction; if it fails for its rows, each row again in its own. A
   * failure that is not the rows' (a lost connection, a timeout, a refused actor) is not blamed on
   * them: a transient one is tried once more, whole (rows a lost COMMIT may have stored are then
   * matched, not inserted twice), and then stops the import with the rows before it committed. A
   * cancel asked during the row-by-row replay stops it after the current row.
   *
   * @return the line of the last row handled
   */
  private long write(List<Row> batch, ImportTotals totals, Preview preview, BooleanSupplier cancel) {
    try {
      ImportTotals batchTotals;
      try {
        batchTotals = attempt(batch, preview);
      } catch (RetryableException e) {
        batchTotals = attempt(batch, preview);
      } catch (CommitOutcomeUnknownException e) {
        if (batch.get(0).plan().identity() == ImportIdentity.NONE) {
          // Nothing matches a row again: a second try would make the batch's customers twice.
          throw new CommitOutcomeUnknownException("the import stopped at line " + batch.get(0).line() + ": the"
              + " connection failed while its batch committed, so its rows may or may not be stored; the "
              + totals.rowsRead + " rows before it are done. With identity NONE, importing the file again makes"
              + " customers again: check first", e);
        }
        batchTotals = attempt(batch, preview);
      }
      batchTotals.stored.forEach(seen::add);
      batchTotals.matched.forEach(seen::add);
      totals.add(batchTotals);
    } catch (CommitOutcomeUnknownException e) {
      if (batch.get(0).plan().identity() == ImportIdentity.NONE) {
        throw e;
      }
      throw new RetryableException("the import stopped at line " + batch.get(0).line() + " on a transient database"
          + " failure; the " + totals.rowsRead + " rows before it are done, and importing the file again matches"
          + " them and changes nothing", e);
    } catch (RetryableException e) {
      throw new RetryableException("the import stopped at line " + batch.get(0).line() + " on a transient database"
          + " failure; the " + totals.rowsRead + " rows before it are done, and importing the file again matches"
          + " them and changes nothing", e);
    } catch (ServerFaultException e) {
      // A broken deployment or server (a missing grant, say) is no row's fault: every row would
      // be reported with it, and the import would look finished.
      throw new ServerFaultException("server fault: the import stopped at line " + batch.get(0).line() + " (SQLSTATE "
          + e.sqlState().orElse("none") + "); the " + totals.rowsRead + " rows before it are done", e.sqlState()
          .orElse(null), e);
    } catch (ForbiddenException | NotMemberException | TenantContextException e) {
      throw e;
    } catch (CrmException e) {
      if (batch.size() == 1) {
        totals.rowsRead++;
        totals.reject(error(batch.get(0), e));
        return batch.get(0).line();
      }
      long last = 0;
      for (Row row : batch) {
        if (last != 0 && cancel.getAsBoolean()) {
          totals.cancelled = true;
          return last;
        }
        last = write(List.of(row), totals, preview, cancel);
      }
      return last;
    }
    return batch.get(batch.size() - 1).line();
  }

  /** One transaction of the batch; for a preview, rolled back with its totals carried out. */
  private ImportTotals attempt(List<Row> batch, Preview preview) {
    if (preview == null) {
      return actor.call(tx -> writeBatch(tx, batch, null));
    }
    try {
      actor.call(tx -> {
        throw new DryRun(writeBatch(tx, batch, preview));
      });
      throw new IllegalStateException("a dry run returned");
    } catch (DryRun dry) {
      preview.inserted += dry.totals.inserted;
      for (ObjectNode node : dry.totals.landing) {
        if (preview.rows.size() < preview.capacity
            && preview.rows.stream().noneMatch(r -> r.path("line").asLong() == node.path("line").asLong())) {
          preview.rows.add(node);
        }
      }
      return dry.totals;
    }
  }

  private ImportTotals writeBatch(Tx tx, List<Row> batch, Preview preview) {
    actor.requireWriter(tx, "customers.import");
    ImportTotals totals = new ImportTotals();
    totals.rowsRead = batch.size();
    CustomerMapper customers = tx.mapper(CustomerMapper.class);
    String region = customers.region(tx.organizationId());

    ImportMatching.Matched matched = ImportMatching.match(tx, batch, region, totals, seen);
    ArrayNode updates = matched.updates();
    ArrayNode inserts = matched.inserts();

    if (preview != null && preview.rows.size() < preview.capacity) {
      // The rows that would land, in the file's order, before the writes change them; shown only
      // if the batch then goes through (a batch over the limit is replayed row by row instead).
      inserts.forEach(n -> totals.landing.add((ObjectNode) n.deepCopy()));
      updates.forEach(n -> totals.landing.add((ObjectNode) n.deepCopy()));
      totals.landing.sort(java.util.Comparator.comparingLong(n -> n.path("line").asLong()));
    }
    Performer by = Performer.of(actor.actor());
    UUID member = by.member();
    String system = by.system();
    List<UUID> updated = updates.isEmpty() ? List.of() : customers.importUpdate(tx.organizationId(),
        updates.toString());
    totals.updated = updated.size();
    totals.unchanged = updates.size() - updated.size();
    List<UUID> inserted = List.of();
    if (!inserts.isEmpty()) {
      UUID stage = customers.defaultStage(tx.organizationId());
      inserted = customers.importInsert(tx.organizationId(), inserts.toString(), stage, member);
      if (inserted.size() != inserts.size()) {
        // A concurrent create took a phone, email or external id meanwhile: the row-by-row replay says which.
        throw new CrmException("a customer of this batch was created concurrently");
      }
      // A dry run's earlier batches rolled back their customers: they count here, as they would.
      long earlier = preview == null ? 0 : preview.inserted;
      UsageCounters.takeWithinLimit(tx, CustomerActor.CUSTOMERS, UsageCounters.RUNNING_TOTAL,
          earlier + inserted.size(), Limit.CUSTOMERS);
    }
    totals.inserted = inserted.size();
    inserts.forEach(n -> totals.stored.add((ObjectNode) n));
    updates.forEach(n -> totals.stored.add((ObjectNode) n));
    totals.matched.addAll(matched.targets());
    if (!inserted.isEmpty()) {
      customers.logMany(tx.organizationId(), inserted, "customer_created", member, system);
    }
    if (!updated.isEmpty()) {
      customers.logMany(tx.organizationId(), updated, "customer_updated", member, system);
    }
    return totals;
  }

  private static boolean overLimit(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof StreamConstraintsException) {
        return true;
      }
    }
    return false;
  }

  private static RowError error(Row row, CrmException e) {
    if (e instanceof ValidationException v) {
      return new RowError(row.line(), row.record(), v.field(), v.reason());
    }
    return new RowError(row.line(), row.record(), "row", e.getMessage());
  }
}
