package io.crmkit.core.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkit.core.customers.ImportIdentity;
import io.crmkit.core.customers.ImportReport.RowError;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.internal.CustomerCsv.Row;
import io.crmkit.core.spi.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A batch's rows validated and matched to the customers they name, in its transaction and the
 * file's order: each row goes to the customer its identity matches (an update) or to a new one (an
 * insert); a row repeating an earlier accepted row's phone, email, external id or matched customer
 * is refused (the first wins; across batches through {@link ImportSeen}), and so is a row that
 * would take a WhatsApp phone, email or external id another customer holds.
 */
final class ImportMatching {
  /** Rows to update (each with the matched customer's {@code id}), rows to insert, and the customers matched. */
  record Matched(ArrayNode updates, ArrayNode inserts, List<Rows.CustomerKey> targets) {}

  private final Map<String, Rows.CustomerKey> byPhone = new HashMap<>();
  private final Map<String, Rows.CustomerKey> byEmail = new HashMap<>();
  private final Map<String, Rows.CustomerKey> byExternalId = new HashMap<>();
  /** What the batch's accepted rows took (their keys, the customers they matched and the keys those had), by line. */
  private final Map<String, Long> taken = new HashMap<>();

  private ImportMatching() {}

  /**
   * The batch's rows prepared in {@code region} and matched, in the file's order; refused rows go to
   * {@code totals}: a row repeating the customer of an earlier accepted row of the batch, or of the
   * rows {@code seen} before the batch, among them.
   */
  static Matched match(Tx tx, List<Row> batch, String region, ImportTotals totals, ImportSeen seen) {
    Map<Long, Long> records = new HashMap<>();
    batch.forEach(row -> records.put(row.line(), row.record()));
    List<ObjectNode> valid = prepare(batch, region, totals);
    ImportMatching matching = new ImportMatching();
    matching.load(tx, valid);
    ImportIdentity identity = batch.get(0).plan().identity();
    ArrayNode updates = Json.MAPPER.createArrayNode();
    ArrayNode inserts = Json.MAPPER.createArrayNode();
    List<Rows.CustomerKey> targets = new ArrayList<>();
    for (ObjectNode node : valid) {
      long line = node.path("line").asLong();
      try {
        if (seen.repeats(node)) {
          throw new ValidationException("row", "repeats the customer of an earlier row");
        }
        matching.requireUntaken(keys(node));
        Rows.CustomerKey target = matching.target(node, identity);
        if (target != null) {
          matching.requireUntaken(List.of("c:" + target.id));
          node.put("id", target.id.toString());
          updates.add(node);
          targets.add(target);
          matching.take(keys(target), line);
        } else if (node.hasNonNull("full_name") || node.hasNonNull("whatsapp_phone") || node.hasNonNull("email")
            || node.hasNonNull("phone")) {
          inserts.add(node);
        } else {
          // Matched by external id, a row may only update; a new customer needs more to be known by.
          throw new ValidationException("fullName", "a new customer needs a name, a phone or an email");
        }
        matching.take(keys(node), line);
      } catch (ValidationException e) {
        totals.reject(new RowError(line, records.get(line), e.field(), e.reason()));
      }
    }
    return new Matched(updates, inserts, targets);
  }

  /** Each row checked as the services check its fields. */
  private static List<ObjectNode> prepare(List<Row> batch, String region, ImportTotals totals) {
    List<ObjectNode> valid = new ArrayList<>();
    for (Row row : batch) {
      try {
        valid.add(ImportRow.prepare(row, region));
      } catch (ValidationException e) {
        totals.reject(new RowError(row.line(), row.record(), e.field(), e.reason()));
      }
    }
    return valid;
  }

  /** @throws ValidationException if an accepted row of the batch took one of {@code keys} */
  private void requireUntaken(List<String> keys) {
    for (String key : keys) {
      Long earlier = taken.get(key);
      if (earlier != null) {
        throw new ValidationException("row", "repeats the customer of line " + earlier);
      }
    }
  }

  private void take(List<String> keys, long line) {
    keys.forEach(key -> taken.putIfAbsent(key, line));
  }

  private static List<String> keys(ObjectNode row) {
    List<String> keys = new ArrayList<>(3);
    addKey(keys, "p:", text(row, "whatsapp_phone"));
    addKey(keys, "e:", text(row, "email_key"));
    addKey(keys, "x:", text(row, "external_id"));
    return keys;
  }

  /** A matched customer's id and the keys it had. */
  private static List<String> keys(Rows.CustomerKey customer) {
    List<String> keys = new ArrayList<>(4);
    keys.add("c:" + customer.id);
    addKey(keys, "p:", customer.whatsappPhone);
    addKey(keys, "e:", customer.emailLower);
    addKey(keys, "x:", customer.externalId);
    return keys;
  }

  private static void addKey(List<String> keys, String kind, String value) {
    if (value != null) {
      keys.add(kind + value);
    }
  }

  /** The customers that hold the rows' phones, emails and external ids, in one statement. */
  private void load(Tx tx, List<ObjectNode> rows) {
    List<String> phones = keys(rows, "whatsapp_phone");
    List<String> emails = keys(rows, "email_key");
    List<String> externalIds = keys(rows, "external_id");
    for (Rows.CustomerKey c : tx.mapper(CustomerMapper.class).importMatches(tx.organizationId(), phones, emails,
        externalIds)) {
      put(byPhone, c.whatsappPhone, c);
      put(byEmail, c.emailLower, c);
      put(byExternalId, c.externalId, c);
    }
  }

  private static void put(Map<String, Rows.CustomerKey> map, String key, Rows.CustomerKey customer) {
    if (key != null) {
      map.put(key, customer);
    }
  }

  /**
   * The customer the row updates, null for a new one.
   *
   * @throws ValidationException naming the field when the row's values name two customers, or a
   *     value another customer holds
   */
  private Rows.CustomerKey target(ObjectNode node, ImportIdentity identity) {
    Rows.CustomerKey phone = byPhone.get(text(node, "whatsapp_phone"));
    Rows.CustomerKey email = byEmail.get(text(node, "email_key"));
    String externalId = text(node, "external_id");
    Rows.CustomerKey external = byExternalId.get(externalId);
    if (identity != ImportIdentity.EXTERNAL_ID) {
      if (phone != null && email != null && !phone.id.equals(email.id)) {
        throw new ValidationException("email", "belongs to another customer than the WhatsApp phone");
      }
      if (phone == null && email != null && email.whatsappPhone != null && node.hasNonNull("whatsapp_phone")) {
        throw new ValidationException("email", "belongs to a customer with another WhatsApp phone");
      }
    }
    Rows.CustomerKey target = switch (identity) {
      case PHONE_THEN_EMAIL -> phone != null ? phone : email;
      case PHONE -> phone;
      case EMAIL -> email;
      case EXTERNAL_ID -> external;
      case NONE -> null;
    };
    // A unique value another customer holds: the row cannot take it from that customer.
    if (other(phone, target)) {
      throw new ValidationException("whatsappPhone", "belongs to another customer");
    }
    if (other(email, target)) {
      throw new ValidationException("email", "belongs to another customer");
    }
    if (other(external, target)) {
      throw new ValidationException("externalId", "belongs to another customer");
    }
    return target;
  }

  private static boolean other(Rows.CustomerKey holder, Rows.CustomerKey target) {
    return holder != null && (target == null || !holder.id.equals(target.id));
  }

  private static List<String> keys(List<ObjectNode> rows, String field) {
    return rows.stream().map(n -> text(n, field)).filter(Objects::nonNull).toList();
  }

  private static String text(ObjectNode node, String field) {
    return node.path(field).asText(null);
  }
}
