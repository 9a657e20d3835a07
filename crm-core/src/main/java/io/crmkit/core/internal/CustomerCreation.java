package io.crmkit.core.internal;

import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.customers.CustomerService.FoundCustomer;
import io.crmkit.core.customers.CustomerUpdate.Field;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.spi.Json;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Creating customers: every field checked, one unit of {@code max_customers} taken, the row and its
 * {@code customer_created} activity inserted, and a taken phone or email reported as a conflict
 * naming the customer that holds it.
 */
final class CustomerCreation {
  private final CustomerActor actor;

  CustomerCreation(CustomerActor actor) {
    this.actor = actor;
  }

  Customer create(CustomerDraft draft) {
    Objects.requireNonNull(draft, "draft");
    return actor.call(tx -> {
      actor.requireWriter(tx, "customers.create");
      Rows.CustomerRow row = newRow(tx, draft, null);
      // The unit first: a host that catches the limit error inside its own transaction must not
      // be left with an uncounted customer.
      takeCustomerUnit(tx);
      Rows.CustomerRow created = insert(tx, row, draft);
      if (created == null) {
        UsageCounters.release(tx, CustomerActor.CUSTOMERS, UsageCounters.RUNNING_TOTAL, 1);
        throw conflict(tx, row);
      }
      return created.toCustomer();
    });
  }

  FoundCustomer findOrCreateByPhone(String whatsappPhone, CustomerDraft draft) {
    Objects.requireNonNull(draft, "draft");
    return actor.call(tx -> {
      actor.requireWriter(tx, "customers.create");
      CustomerMapper customers = tx.mapper(CustomerMapper.class);
      String phone = PhoneNumbers.e164("whatsappPhone", whatsappPhone, CustomerFields.region(tx));
      Rows.CustomerRow existing = customers.findByPhone(tx.organizationId(), phone);
      if (existing != null) {
        return new FoundCustomer(existing.toCustomer(), false);
      }
      Rows.CustomerRow row = newRow(tx, draft, phone);
      takeCustomerUnit(tx);
      Rows.CustomerRow created = insert(tx, row, draft);
      if (created == null) {
        UsageCounters.release(tx, CustomerActor.CUSTOMERS, UsageCounters.RUNNING_TOTAL, 1);
        // A concurrent call inserted it first (ON CONFLICT waited for it to commit), or the
        // draft's email belongs to someone else.
        existing = customers.findByPhone(tx.organizationId(), phone);
        if (existing != null) {
          return new FoundCustomer(existing.toCustomer(), false);
        }
        throw conflict(tx, row);
      }
      return new FoundCustomer(created.toCustomer(), true);
    });
  }

  /** Inserts a new customer with its {@code customer_created} activity; null if its phone or email is taken. */
  private Rows.CustomerRow insert(Tx tx, Rows.CustomerRow row, CustomerDraft draft) {
    Performer by = Performer.of(actor.actor());
    return tx.mapper(CustomerMapper.class).insert(row, by.member(), by.system(),
        Json.fromMap(Map.of("source", draft.source().name().toLowerCase(Locale.ROOT))));
  }

  /** The row for a draft, every field checked; {@code whatsappPhone}, when given (normalized), wins over the draft's. */
  private Rows.CustomerRow newRow(Tx tx, CustomerDraft draft, String whatsappPhone) {
    CustomerMapper customers = tx.mapper(CustomerMapper.class);
    Rows.NewCustomerContext context = customers.newCustomerContext(tx.organizationId(), draft.stageId().orElse(null));
    String region = context.region;
    Rows.CustomerRow row = new Rows.CustomerRow();
    row.organizationId = tx.organizationId();
    row.fullName = draft.fullName().map(n -> CustomerFields.checked(Field.FULL_NAME, n, region)).orElse(null);
    row.whatsappPhone = whatsappPhone != null ? whatsappPhone
        : draft.whatsappPhone().map(p -> CustomerFields.checked(Field.WHATSAPP_PHONE, p, region)).orElse(null);
    row.email = draft.email().map(e -> CustomerFields.checked(Field.EMAIL, e, region)).orElse(null);
    row.phone = draft.phone().map(p -> CustomerFields.checked(Field.PHONE, p, region)).orElse(null);
    row.company = draft.company().map(c -> CustomerFields.checked(Field.COMPANY, c, region)).orElse(null);
    row.position = draft.position().map(p -> CustomerFields.checked(Field.POSITION, p, region)).orElse(null);
    if (row.fullName == null && row.whatsappPhone == null && row.email == null && row.phone == null) {
      throw new ValidationException("fullName", "a customer needs a name, a phone or an email");
    }
    row.leadScore = CustomerFields.score(draft.leadScore());
    CustomerFields.value(draft.estimatedValueMinor(), draft.currency());
    row.estimatedValueMinor = draft.estimatedValueMinor();
    row.currency = draft.currency();
    row.source = draft.source();
    row.tags = CustomerFields.tags(draft.tags());
    row.notes = draft.notes().map(n -> CustomerFields.checked(Field.NOTES, n, region)).orElse(null);
    row.customFields = Inputs.customFields("customFields", draft.customFields());
    row.salesStageId = context.stageId;
    if (row.salesStageId == null) {
      throw new ValidationException("stageId", draft.stageId().isPresent() ? "is not a stage of this organization"
          : "the organization has no default stage");
    }
    if (draft.assignedTo().isPresent()) {
      if (!customers.activeMember(tx.organizationId(), draft.assignedTo().get())) {
        throw new ValidationException("assignedTo", "is not an active member of this organization");
      }
      row.assignedTo = draft.assignedTo().get();
    }
    row.createdBy = Performer.of(actor.actor()).member();
    return row;
  }

  /** The insert found a taken phone or email: name the customer that holds it. */
  private static ConflictException conflict(Tx tx, Rows.CustomerRow row) {
    CustomerMapper customers = tx.mapper(CustomerMapper.class);
    if (row.whatsappPhone != null) {
      Rows.CustomerRow byPhone = customers.findByPhone(tx.organizationId(), row.whatsappPhone);
      if (byPhone != null) {
        return new ConflictException("a customer with WhatsApp phone " + row.whatsappPhone + " exists", byPhone.id);
      }
    }
    if (row.email != null) {
      Rows.CustomerRow byEmail = customers.findByEmail(tx.organizationId(), row.email);
      if (byEmail != null) {
        return new ConflictException("a customer with email " + row.email + " exists", byEmail.id);
      }
    }
    return new ConflictException("a customer with this phone or email exists");
  }

  /** Takes one unit of max_customers; the transaction's rollback gives it back. */
  private static void takeCustomerUnit(Tx tx) {
    UsageCounters.takeWithinLimit(tx, CustomerActor.CUSTOMERS, UsageCounters.RUNNING_TOTAL, 1, Limit.CUSTOMERS);
  }
}
