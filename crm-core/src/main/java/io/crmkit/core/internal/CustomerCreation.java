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
 * {@code customer_created} activity inserted, and a taken phone, email or external id reported as a conflict
 * naming the customer that holds it.
 */
final class CustomerCreation {
  private final CustomerActor actor;

  CustomerCreation(CustomerActor actor) {
    this.actor = actor;
  }

  Customer create(CustomerDraft draft) {
    Rows.CustomerRow row = rowOf(Objects.requireNonNull(draft, "draft"), false);
    return actor.call(tx -> {
      actor.requireWriter(tx, "customers.create");
      complete(tx, row, draft, null);
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
    PhoneNumbers.written("whatsappPhone", whatsappPhone);
    // The draft is what a new customer gets; checked before any SQL, whether one is made or not.
    Rows.CustomerRow row = rowOf(draft, true);
    return actor.call(tx -> {
      actor.requireWriter(tx, "customers.create");
      CustomerMapper customers = tx.mapper(CustomerMapper.class);
      String phone = PhoneNumbers.e164("whatsappPhone", whatsappPhone, CustomerFields.region(tx));
      Rows.CustomerRow existing = customers.findByPhone(tx.organizationId(), phone);
      if (existing != null) {
        return new FoundCustomer(existing.toCustomer(), false);
      }
      complete(tx, row, draft, phone);
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

  /**
   * The row for a draft with every field checked that needs no SQL, the phones as written (their
   * normalization needs the organization's region; {@code phoneGiven}: the WhatsApp phone comes
   * from elsewhere and the draft's is not used).
   */
  private Rows.CustomerRow rowOf(CustomerDraft draft, boolean phoneGiven) {
    Rows.CustomerRow row = new Rows.CustomerRow();
    row.fullName = draft.fullName().map(n -> CustomerFields.written(Field.FULL_NAME, n)).orElse(null);
    if (!phoneGiven) {
      draft.whatsappPhone().ifPresent(p -> CustomerFields.written(Field.WHATSAPP_PHONE, p));
    }
    draft.phone().ifPresent(p -> CustomerFields.written(Field.PHONE, p));
    row.email = draft.email().map(e -> CustomerFields.written(Field.EMAIL, e)).orElse(null);
    row.company = draft.company().map(c -> CustomerFields.written(Field.COMPANY, c)).orElse(null);
    row.position = draft.position().map(p -> CustomerFields.written(Field.POSITION, p)).orElse(null);
    if (row.fullName == null && !phoneGiven && draft.whatsappPhone().isEmpty() && row.email == null
        && draft.phone().isEmpty()) {
      throw new ValidationException("fullName", "a customer needs a name, a phone or an email");
    }
    row.leadScore = CustomerFields.score(draft.leadScore());
    CustomerFields.value(draft.estimatedValueMinor(), draft.currency());
    row.estimatedValueMinor = draft.estimatedValueMinor();
    row.currency = draft.currency();
    row.source = draft.source();
    row.tags = CustomerFields.tags(draft.tags());
    row.notes = draft.notes().map(n -> CustomerFields.written(Field.NOTES, n)).orElse(null);
    row.customFields = Inputs.customFields("customFields", draft.customFields());
    row.externalId = draft.externalId().map(id -> CustomerFields.written(Field.EXTERNAL_ID, id)).orElse(null);
    row.createdBy = Performer.of(actor.actor()).member();
    return row;
  }

  /**
   * Completes a checked row in the transaction: the phones normalized in the organization's region
   * ({@code whatsappPhone}, when given normalized, wins over the draft's), the stage and the
   * assignee checked to be this organization's.
   */
  private void complete(Tx tx, Rows.CustomerRow row, CustomerDraft draft, String whatsappPhone) {
    CustomerMapper customers = tx.mapper(CustomerMapper.class);
    Rows.NewCustomerContext context = customers.newCustomerContext(tx.organizationId(), draft.stageId().orElse(null));
    String region = context.region;
    row.organizationId = tx.organizationId();
    row.whatsappPhone = whatsappPhone != null ? whatsappPhone
        : draft.whatsappPhone().map(p -> CustomerFields.checked(Field.WHATSAPP_PHONE, p, region)).orElse(null);
    row.phone = draft.phone().map(p -> CustomerFields.checked(Field.PHONE, p, region)).orElse(null);
    row.salesStageId = context.stageId;
    if (row.salesStageId == null) {
      throw new ValidationException("stageId", draft.stageId().isPresent() ? "is not a stage of this organization"
          : "the organization has no default stage");
    }
    row.assignedTo = null;
    if (draft.assignedTo().isPresent()) {
      if (!customers.activeMember(tx.organizationId(), draft.assignedTo().get())) {
        throw new ValidationException("assignedTo", "is not an active member of this organization");
      }
      row.assignedTo = draft.assignedTo().get();
    }
  }

  /** The insert found a taken phone, email or external id: name the customer that holds it. */
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
    if (row.externalId != null) {
      Rows.CustomerRow byExternalId = customers.findByExternalId(tx.organizationId(), row.externalId);
      if (byExternalId != null) {
        return new ConflictException("a customer with external id " + row.externalId + " exists", byExternalId.id);
      }
    }
    return new ConflictException("a customer with this phone, email or external id exists");
  }

  /** Takes one unit of max_customers; the transaction's rollback gives it back. */
  private static void takeCustomerUnit(Tx tx) {
    UsageCounters.takeWithinLimit(tx, CustomerActor.CUSTOMERS, UsageCounters.RUNNING_TOTAL, 1, Limit.CUSTOMERS);
  }
}
