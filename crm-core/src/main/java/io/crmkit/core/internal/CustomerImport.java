package io.crmkit.core.internal;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.crmkit.core.customers.CustomerUpdate.Field;
import io.crmkit.core.customers.ImportOptions;
import io.crmkit.core.customers.ImportReport.RowError;
import io.crmkit.core.customers.ImportReport;
import io.crmkit.core.exception.CrmException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.spi.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * CSV import: streamed with Jackson's CSV reader, validated in Java, written in batches of one
 * transaction each. Rows are matched by WhatsApp phone, else email; matched rows update only what
 * they change, new rows are inserted, and a batch that fails is replayed row by row.
 */
final class CustomerImport {
  private static final Map<String, String> COLUMNS = Map.ofEntries(
      Map.entry("full_name", "fullName"), Map.entry("name", "fullName"),
      Map.entry("whatsapp_phone", "whatsappPhone"), Map.entry("whatsapp", "whatsappPhone"),
      Map.entry("email", "email"), Map.entry("phone", "phone"), Map.entry("company", "company"),
      Map.entry("position", "position"), Map.entry("tags", "tags"), Map.entry("notes", "notes"),
      Map.entry("lead_score", "leadScore"));

  private final CustomerActor actor;

  CustomerImport(CustomerActor actor) {
    this.actor = actor;
  }

  /** One data row of the file: its record number (header = 1) and values by header. */
  private record Row(long line, Map<String, String> values) {}

  ImportReport run(InputStream csv, ImportOptions options) {
    if (!actor.scope().standalone()) {
      // Batches commit one by one and a failed batch is replayed; inside one transaction neither works.
      throw new io.crmkit.core.exception.TenantContextException("an import runs its own transactions, one per batch;"
          + " call it outside inTransaction and joining");
    }
    Totals totals = new Totals();
    try (InputStreamReader reader = new InputStreamReader(withoutBom(csv), StandardCharsets.UTF_8);
        MappingIterator<Map<String, String>> rows = new CsvMapper().readerFor(Map.class)
            .with(CsvSchema.emptySchema().withHeader()).readValues(reader)) {
      List<Row> batch = new ArrayList<>();
      long line = 1;
      boolean headerChecked = false;
      while (rows.hasNextValue()) {
        Map<String, String> values = rows.nextValue();
        if (!headerChecked) {
          checkHeader(values.keySet());
          headerChecked = true;
        }
        batch.add(new Row(++line, values));
        if (batch.size() == options.batchSize()) {
          write(batch, totals);
          options.progress().progress(totals.report());
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        write(batch, totals);
        options.progress().progress(totals.report());
      }
    } catch (com.fasterxml.jackson.dataformat.csv.CsvReadException e) {
      // Malformed CSV (no header, an unclosed quote): the rows before it have landed.
      throw new ValidationException(totals.rowsRead == 0 ? "header" : "csv",
          e.getOriginalMessage() + " (after " + totals.rowsRead + " rows)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CSV input", e);
    }
    return totals.report();
  }

  private static void checkHeader(java.util.Set<String> headers) {
    // Columns that are not a customer field become custom fields, named by their header: the one
    // rule for custom field names holds for them too.
    for (String header : headers) {
      if (COLUMNS.get(normalize(header)) == null && (header.isBlank() || header.strip().length() > 64)) {
        throw new ValidationException("header", "a column that is a custom field needs a name of 1 to 64"
            + " characters: \"" + header + "\"");
      }
    }
    boolean key = headers.stream().map(CustomerImport::normalize)
        .anyMatch(h -> "whatsappPhone".equals(COLUMNS.get(h)) || "email".equals(COLUMNS.get(h)));
    if (!key) {
      throw new ValidationException("header", "needs a whatsapp_phone or an email column to match customers by");
    }
  }

  /** Writes a batch in one transaction; if it fails as a whole, each row again in its own. */
  private void write(List<Row> batch, Totals totals) {
    try {
      Totals batchTotals = actor.call(tx -> writeBatch(tx, batch));
      totals.add(batchTotals);
    } catch (CrmException e) {
      if (batch.size() == 1) {
        totals.rowsRead++;
        totals.errors.add(error(batch.get(0).line, e));
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
    List<ObjectNode> valid = new ArrayList<>();
    Map<String, Long> seenPhones = new HashMap<>();
    Map<String, Long> seenEmails = new HashMap<>();
    for (Row row : batch) {
      try {
        ObjectNode node = prepare(row, region);
        String phone = node.path("whatsapp_phone").asText(null);
        String email = node.path("email_key").asText(null);
        Long earlier = phone != null ? seenPhones.putIfAbsent(phone, row.line) : null;
        if (earlier == null && email != null) {
          earlier = seenEmails.putIfAbsent(email, row.line);
        }
        if (earlier != null) {
          totals.errors.add(new RowError(row.line, "row", "repeats the customer of line " + earlier));
          continue;
        }
        valid.add(node);
      } catch (ValidationException e) {
        totals.errors.add(new RowError(row.line, e.field(), e.reason()));
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
        totals.errors.add(new RowError(line, "email", "belongs to another customer than the WhatsApp phone"));
        continue;
      }
      if (phoneMatch == null && emailMatch != null && emailMatch.whatsappPhone != null
          && node.hasNonNull("whatsapp_phone")) {
        totals.errors.add(new RowError(line, "email", "belongs to a customer with another WhatsApp phone"));
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

  /** A row as the JSON object the import statements read with jsonb_to_recordset. */
  private static ObjectNode prepare(Row row, String region) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("line", row.line);
    ObjectNode custom = node.putObject("custom_fields");
    for (Map.Entry<String, String> e : row.values.entrySet()) {
      String value = e.getValue() == null ? "" : e.getValue().strip();
      if (value.isEmpty()) {
        continue;
      }
      String field = COLUMNS.get(normalize(e.getKey()));
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
    if (!node.hasNonNull("whatsapp_phone") && !node.hasNonNull("email")) {
      throw new ValidationException("whatsappPhone", "a row needs a WhatsApp phone or an email to be matched by");
    }
    return node;
  }

  private static String normalize(String header) {
    return header.strip().toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
  }

  private static RowError error(long line, CrmException e) {
    if (e instanceof ValidationException v) {
      return new RowError(line, v.field(), v.reason());
    }
    return new RowError(line, "row", e.getMessage());
  }

  private static InputStream withoutBom(InputStream in) {
    PushbackInputStream pushback = new PushbackInputStream(java.util.Objects.requireNonNull(in, "csv"), 3);
    try {
      byte[] head = pushback.readNBytes(3);
      boolean bom = head.length == 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF;
      if (!bom) {
        pushback.unread(head);
      }
      return pushback;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CSV input", e);
    }
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
