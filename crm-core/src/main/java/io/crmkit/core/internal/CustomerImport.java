package io.crmkit.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkit.core.customers.ImportOptions;
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
import io.crmkit.core.spi.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * CSV import: the file read by {@link CustomerCsv}, every row validated in Java, written in batches
 * of one transaction each. Rows are matched by WhatsApp phone, else email; matched rows update
 * only what they change, new rows are inserted, and a batch that fails for its rows is replayed
 * row by row; a transient failure is tried once more and then stops the import, as a server fault
 * does at once.
 */
final class CustomerImport {
  private final CustomerActor actor;

  CustomerImport(CustomerActor actor) {
    this.actor = actor;
  }

  ImportReport run(InputStream csv, ImportOptions options) {
    if (!actor.scope().standalone()) {
      // Batches commit one by one and a failed batch is replayed; inside one transaction neither works.
      throw new io.crmkit.core.exception.TenantContextException("an import runs its own transactions, one per batch;"
          + " call it outside inTransaction and joining");
    }
    Totals totals = new Totals();
    List<Row> batch = new ArrayList<>();
    try (CustomerCsv file = CustomerCsv.open(csv, options.delimiter(), options.mapping())) {
      for (Row row = file.next(); row != null; row = file.next()) {
        batch.add(row);
        if (batch.size() == options.batchSize()) {
          flush(batch, totals, options);
        }
      }
      flush(batch, totals, options);
    } catch (JsonProcessingException e) {
      // Malformed CSV (no header, an unclosed quote, a cell too long): the rows before the fault
      // land, then the fault is told. The parser's message names the fault and where, never a value.
      flush(batch, totals, options);
      String reason = overLimit(e) ? "a cell is over " + CustomerCsv.MAX_CELL + " characters"
          : e.getOriginalMessage();
      throw new ValidationException(totals.rowsRead == 0 ? "header" : "csv",
          reason + " (after " + totals.rowsRead + " rows)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CSV input", e);
    }
    return totals.report();
  }

  /** Writes the rows gathered so far, if any, and tells the progress. */
  private void flush(List<Row> batch, Totals totals, ImportOptions options) {
    if (!batch.isEmpty()) {
      write(List.copyOf(batch), totals);
      options.progress().progress(totals.report());
      batch.clear();
    }
  }

  /**
   * Writes a batch in one transaction; if it fails for its rows, each row again in its own. A
   * failure that is not the rows' (a lost connection, a timeout, a refused actor) is not blamed on
   * them: a transient one is tried once more, whole (rows a lost COMMIT may have stored are then
   * matched, not inserted twice), and then stops the import with the rows before it committed.
   */
  private void write(List<Row> batch, Totals totals) {
    try {
      Totals batchTotals;
      try {
        batchTotals = actor.call(tx -> writeBatch(tx, batch));
      } catch (RetryableException | CommitOutcomeUnknownException e) {
        batchTotals = actor.call(tx -> writeBatch(tx, batch));
      }
      totals.add(batchTotals);
    } catch (RetryableException | CommitOutcomeUnknownException e) {
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
        totals.errors.add(error(batch.get(0), e));
        return;
      }
      for (Row row : batch) {
        write(List.of(row), totals);
      }
    }
  }

  private Totals writeBatch(Tx tx, List<Row> batch) {
    actor.requireWriter(tx, "customers.import");
    Totals totals = new Totals();
    totals.rowsRead = batch.size();
    CustomerMapper customers = tx.mapper(CustomerMapper.class);
    String region = customers.region(tx.organizationId());

    // Validate in Java; drop rows the file repeats (the first one wins).
    Map<Long, Long> records = new HashMap<>();
    batch.forEach(row -> records.put(row.line(), row.record()));
    List<ObjectNode> valid = new ArrayList<>();
    Map<String, Long> seenPhones = new HashMap<>();
    Map<String, Long> seenEmails = new HashMap<>();
    for (Row row : batch) {
      try {
        ObjectNode node = CustomerCsv.prepare(row, region);
        String phone = node.path("whatsapp_phone").asText(null);
        String email = node.path("email_key").asText(null);
        Long earlier = phone != null ? seenPhones.putIfAbsent(phone, row.line()) : null;
        if (earlier == null && email != null) {
          earlier = seenEmails.putIfAbsent(email, row.line());
        }
        if (earlier != null) {
          totals.errors.add(new RowError(row.line(), row.record(), "row", "repeats the customer of line " + earlier));
          continue;
        }
        valid.add(node);
      } catch (ValidationException e) {
        totals.errors.add(new RowError(row.line(), row.record(), e.field(), e.reason()));
      }
    }

    // Match: by phone first, else by email; a row whose phone and email name two customers is reported.
    Map<String, Rows.CustomerRow> byPhone = new HashMap<>();
    Map<String, Rows.CustomerRow> byEmail = new HashMap<>();
    List<String> phones = valid.stream().map(n -> n.path("whatsapp_phone").asText(null))
        .filter(java.util.Objects::nonNull).toList();
    List<String> emails = valid.stream().map(n -> n.path("email_key").asText(null))
        .filter(java.util.Objects::nonNull).toList();
    if (!phones.isEmpty()) {
      customers.findByPhones(tx.organizationId(), phones).forEach(c -> byPhone.put(c.whatsappPhone, c));
    }
    if (!emails.isEmpty()) {
      customers.findByEmails(tx.organizationId(), emails)
          .forEach(c -> byEmail.put(c.email.toLowerCase(Locale.ROOT), c));
    }
    ArrayNode updates = Json.MAPPER.createArrayNode();
    ArrayNode inserts = Json.MAPPER.createArrayNode();
    for (ObjectNode node : valid) {
      Rows.CustomerRow phoneMatch = byPhone.get(node.path("whatsapp_phone").asText(null));
      Rows.CustomerRow emailMatch = byEmail.get(node.path("email_key").asText(null));
      long line = node.path("line").asLong();
      if (phoneMatch != null && emailMatch != null && !phoneMatch.id.equals(emailMatch.id)) {
        totals.errors.add(new RowError(line, records.get(line), "email",
            "belongs to another customer than the WhatsApp phone"));
        continue;
      }
      if (phoneMatch == null && emailMatch != null && emailMatch.whatsappPhone != null
          && node.hasNonNull("whatsapp_phone")) {
        totals.errors.add(new RowError(line, records.get(line), "email",
            "belongs to a customer with another WhatsApp phone"));
        continue;
      }
      Rows.CustomerRow target = phoneMatch != null ? phoneMatch : emailMatch;
      if (target != null) {
        node.put("id", target.id.toString());
        updates.add(node);
      } else {
        inserts.add(node);
      }
    }

    Performer by = Performer.of(actor.actor());
    UUID member = by.member();
    String system = by.system();
    List<UUID> updated = updates.isEmpty() ? List.of() : customers.importUpdate(tx.organizationId(), updates);
    totals.updated = updated.size();
    totals.unchanged = updates.size() - updated.size();
    List<UUID> inserted = List.of();
    if (!inserts.isEmpty()) {
      UUID stage = customers.defaultStage(tx.organizationId());
      inserted = customers.importInsert(tx.organizationId(), inserts, stage, member);
      if (inserted.size() != inserts.size()) {
        // A concurrent create took a phone or email meanwhile: let the row-by-row replay say which.
        throw new CrmException("a customer of this batch was created concurrently");
      }
      UsageCounters.takeWithinLimit(tx, CustomerActor.CUSTOMERS, UsageCounters.RUNNING_TOTAL, inserted.size(),
          Limit.CUSTOMERS);
    }
    totals.inserted = inserted.size();
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

  /** Running totals. */
  private static final class Totals {
    long rowsRead;
    long inserted;
    long updated;
    long unchanged;
    final List<RowError> errors = new ArrayList<>();

    void add(Totals batch) {
      rowsRead += batch.rowsRead;
      inserted += batch.inserted;
      updated += batch.updated;
      unchanged += batch.unchanged;
      errors.addAll(batch.errors);
    }

    ImportReport report() {
      List<RowError> sorted = new ArrayList<>(errors);
      sorted.sort(java.util.Comparator.comparingLong(RowError::line));
      return new ImportReport(rowsRead, inserted, updated, unchanged, sorted);
    }
  }
}
