package io.crmkit.core.internal;

import io.crmkit.core.Change;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerUpdate;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.users.Role;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Changes to one existing customer, each with its row locked, by a member who may write, logging
 * what changed on the timeline; and deleting one.
 */
final class CustomerChanges {
  private final CustomerActor actor;

  CustomerChanges(CustomerActor actor) {
    this.actor = actor;
  }

  Customer update(UUID customerId, CustomerUpdate update) {
    Objects.requireNonNull(update, "update");
    // Every value checked before any SQL; the phones, as written, are normalized once the
    // organization's region is read.
    Map<CustomerUpdate.Field, Change<String>> written = new EnumMap<>(CustomerUpdate.Field.class);
    update.changes().forEach((field, change) -> written.put(field, change.map(v -> CustomerFields.written(field, v))));
    return change(customerId, "customers.update", (tx, customers, before) -> {
      if (written.isEmpty()) {
        return;
      }
      String region = written.containsKey(CustomerUpdate.Field.WHATSAPP_PHONE)
          || written.containsKey(CustomerUpdate.Field.PHONE) ? CustomerFields.region(tx) : null;
      Map<CustomerUpdate.Field, String> after = new EnumMap<>(CustomerUpdate.Field.class);
      for (CustomerUpdate.Field field : CustomerUpdate.Field.values()) {
        after.put(field, value(before, field));
      }
      written.forEach((field, change) -> after.put(field,
          change.map(v -> isPhone(field) ? CustomerFields.checked(field, v, region) : v)
              .applyTo(Optional.empty()).orElse(null)));
      if (after.get(CustomerUpdate.Field.FULL_NAME) == null && after.get(CustomerUpdate.Field.WHATSAPP_PHONE) == null
          && after.get(CustomerUpdate.Field.EMAIL) == null && after.get(CustomerUpdate.Field.PHONE) == null) {
        throw new ValidationException(written.keySet().iterator().next().key(),
            "a customer needs a name, a phone or an email");
      }
      List<String> changed = new ArrayList<>();
      for (Map.Entry<CustomerUpdate.Field, String> field : after.entrySet()) {
        if (!Objects.equals(value(before, field.getKey()), field.getValue())) {
          changed.add(field.getKey().key());
        }
      }
      if (changed.isEmpty()) {
        return;
      }
      // Name the customer that holds a phone or email already; the unique indexes still decide a race.
      String phone = after.get(CustomerUpdate.Field.WHATSAPP_PHONE);
      if (phone != null && !phone.equals(before.whatsappPhone)) {
        Rows.CustomerRow holder = customers.findByPhone(tx.organizationId(), phone);
        if (holder != null) {
          throw new ConflictException("a customer with WhatsApp phone " + phone + " exists", holder.id);
        }
      }
      String email = after.get(CustomerUpdate.Field.EMAIL);
      if (email != null && !email.equalsIgnoreCase(before.email == null ? "" : before.email)) {
        Rows.CustomerRow holder = customers.findByEmail(tx.organizationId(), email);
        if (holder != null && !holder.id.equals(customerId)) {
          throw new ConflictException("a customer with email " + email + " exists", holder.id);
        }
      }
      String externalId = after.get(CustomerUpdate.Field.EXTERNAL_ID);
      if (externalId != null && !externalId.equals(before.externalId)) {
        Rows.CustomerRow holder = customers.findByExternalId(tx.organizationId(), externalId);
        if (holder != null) {
          throw new ConflictException("a customer with external id " + externalId + " exists", holder.id);
        }
      }
      Rows.CustomerRow current = new Rows.CustomerRow();
      current.fullName = after.get(CustomerUpdate.Field.FULL_NAME);
      current.whatsappPhone = phone;
      current.email = email;
      current.phone = after.get(CustomerUpdate.Field.PHONE);
      current.company = after.get(CustomerUpdate.Field.COMPANY);
      current.position = after.get(CustomerUpdate.Field.POSITION);
      current.notes = after.get(CustomerUpdate.Field.NOTES);
      current.externalId = externalId;
      customers.updateContact(tx.organizationId(), customerId, current);
      Performer by = Performer.of(actor.actor());
      customers.logFields(tx.organizationId(), customerId, changed, by.member(), by.system());
    });
  }

  private static boolean isPhone(CustomerUpdate.Field field) {
    return field == CustomerUpdate.Field.WHATSAPP_PHONE || field == CustomerUpdate.Field.PHONE;
  }

  /** The row's value of one of the fields an update sets. */
  private static String value(Rows.CustomerRow row, CustomerUpdate.Field field) {
    return switch (field) {
      case FULL_NAME -> row.fullName;
      case WHATSAPP_PHONE -> row.whatsappPhone;
      case EMAIL -> row.email;
      case PHONE -> row.phone;
      case COMPANY -> row.company;
      case POSITION -> row.position;
      case NOTES -> row.notes;
      case EXTERNAL_ID -> row.externalId;
    };
  }

  Customer moveToStage(UUID customerId, UUID stageId) {
    Objects.requireNonNull(stageId, "stageId");
    return change(customerId, "customers.moveToStage", (tx, customers, before) -> {
      if (!customers.stageExists(tx.organizationId(), stageId)) {
        throw new NotFoundException("stage", stageId);
      }
      if (!before.salesStageId.equals(stageId)) {
        customers.setStage(tx.organizationId(), customerId, stageId);
        actor.log(tx, customerId, "stage_change", null,
            Map.of("from", before.salesStageId.toString(), "to", stageId.toString()));
      }
    });
  }

  Customer assign(UUID customerId, Optional<UUID> userId) {
    Objects.requireNonNull(userId, "userId");
    return change(customerId, "customers.assign", (tx, customers, before) -> {
      UUID to = userId.orElse(null);
      if (to != null && !customers.activeMember(tx.organizationId(), to)) {
        throw new ValidationException("userId", "is not an active member of this organization");
      }
      if (!Objects.equals(before.assignedTo, to)) {
        customers.assign(tx.organizationId(), customerId, to);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("from", before.assignedTo == null ? "" : before.assignedTo.toString());
        metadata.put("to", to == null ? "" : to.toString());
        actor.log(tx, customerId, "assigned", null, metadata);
      }
    });
  }

  Customer tag(UUID customerId, Collection<String> tags) {
    List<String> checked = CustomerFields.tags(tags);
    return changeField(customerId, "customers.tag", "tags", r -> r.tags,
        (tx, customers, before) -> customers.addTags(tx.organizationId(), customerId, checked));
  }

  Customer untag(UUID customerId, Collection<String> tags) {
    List<String> checked = CustomerFields.tags(tags);
    return changeField(customerId, "customers.untag", "tags", r -> r.tags,
        (tx, customers, before) -> customers.removeTags(tx.organizationId(), customerId, checked));
  }

  Customer setCustomFields(UUID customerId, Map<String, Object> fields) {
    com.fasterxml.jackson.databind.JsonNode checked = Inputs.customFields("customFields", fields);
    return changeField(customerId, "customers.setCustomFields", "customFields", r -> r.customFields,
        (tx, customers, before) -> customers.mergeCustomFields(tx.organizationId(), customerId, checked));
  }

  Customer setLeadScore(UUID customerId, int leadScore) {
    CustomerFields.score(leadScore);
    return changeField(customerId, "customers.setLeadScore", "leadScore", r -> r.leadScore,
        (tx, customers, before) -> customers.setLeadScore(tx.organizationId(), customerId, leadScore));
  }

  Customer setEstimatedValue(UUID customerId, long minorUnits, String currency) {
    CustomerFields.value(minorUnits, currency);
    return changeField(customerId, "customers.setEstimatedValue", "estimatedValue",
        r -> r.estimatedValueMinor + " " + r.currency,
        (tx, customers, before) -> customers.setValue(tx.organizationId(), customerId, minorUnits, currency));
  }

  void delete(UUID customerId) {
    Objects.requireNonNull(customerId, "customerId");
    actor.call(tx -> {
      tx.requireRole(actor.actor(), "customers.delete", Role.ADMIN, Role.MANAGER);
      if (tx.mapper(CustomerMapper.class).delete(tx.organizationId(), customerId) == 0) {
        throw new NotFoundException("customer", customerId);
      }
      UsageCounters.release(tx, CustomerActor.CUSTOMERS, UsageCounters.RUNNING_TOTAL, 1);
      return null;
    });
  }

  /** A change to a customer whose row is locked. */
  private interface Edit {
    void apply(Tx tx, CustomerMapper customers, Rows.CustomerRow before);
  }

  /** A change to one field that logs a {@code customer_updated} activity naming it, only if the value changed. */
  private Customer changeField(UUID customerId, String operation, String field,
      Function<Rows.CustomerRow, Object> value, Edit change) {
    return change(customerId, operation, (tx, customers, before) -> {
      change.apply(tx, customers, before);
      Rows.CustomerRow after = customers.find(tx.organizationId(), customerId);
      if (!Objects.equals(value.apply(before), value.apply(after))) {
        actor.log(tx, customerId, "customer_updated", null, Map.of("field", field));
      }
    });
  }

  /** A change to one customer, with its row locked, by a member who may write. */
  private Customer change(UUID customerId, String operation, Edit change) {
    Objects.requireNonNull(customerId, "customerId");
    return actor.call(tx -> {
      actor.requireWriter(tx, operation);
      CustomerMapper customers = tx.mapper(CustomerMapper.class);
      Rows.CustomerRow before = customers.findForUpdate(tx.organizationId(), customerId);
      if (before == null) {
        throw new NotFoundException("customer", customerId);
      }
      change.apply(tx, customers, before);
      return customers.find(tx.organizationId(), customerId).toCustomer();
    });
  }
}
