package io.crmkit.core.internal;

import io.crmkit.core.customers.Customer;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.CrmModule;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.users.Role;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Merging a duplicate customer into a survivor, in one transaction: the duplicate's activities
 * and every module's rows (each module's merge hook) move to the survivor, the duplicate is
 * deleted (its unit of {@code max_customers} given back), and the survivor takes what it lacked,
 * the duplicate's differing values kept in the {@code merged} activity.
 */
final class CustomerMerge {
  private final CustomerActor actor;

  CustomerMerge(CustomerActor actor) {
    this.actor = actor;
  }

  Customer merge(UUID survivorId, UUID duplicateId) {
    Objects.requireNonNull(survivorId, "survivorId");
    Objects.requireNonNull(duplicateId, "duplicateId");
    if (survivorId.equals(duplicateId)) {
      throw new ValidationException("duplicateId", "is the survivor itself");
    }
    return actor.call(tx -> {
      tx.requireRole(actor.actor(), "customers.merge", Role.ADMIN, Role.MANAGER);
      CustomerMapper customers = tx.mapper(CustomerMapper.class);
      // Lock both in id order, so two merges of the same pair cannot deadlock.
      boolean survivorFirst = survivorId.compareTo(duplicateId) < 0;
      Rows.CustomerRow first = customers.findForKeyUpdate(tx.organizationId(), survivorFirst ? survivorId : duplicateId);
      Rows.CustomerRow second = customers.findForKeyUpdate(tx.organizationId(), survivorFirst ? duplicateId : survivorId);
      Rows.CustomerRow survivor = survivorFirst ? first : second;
      Rows.CustomerRow duplicate = survivorFirst ? second : first;
      if (survivor == null) {
        throw new NotFoundException("customer", survivorId);
      }
      if (duplicate == null) {
        throw new NotFoundException("customer", duplicateId);
      }
      customers.moveActivities(tx.organizationId(), duplicateId, survivorId);
      TenantTransaction moduleTx = SqlTenantWork.viewWithin(tx, actor.scope());
      for (CrmModule module : actor.scope().runtime().configuration().modules()) {
        module.mergeCustomers(moduleTx, survivorId, duplicateId);
      }
      // Delete first: the survivor may take over the duplicate's phone or email, which are unique.
      customers.delete(tx.organizationId(), duplicateId);
      UsageCounters.release(tx, CustomerActor.CUSTOMERS, UsageCounters.RUNNING_TOTAL, 1);
      customers.absorb(tx.organizationId(), survivorId, duplicate);
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("merged", duplicateId.toString());
      // What the survivor already had of its own is kept; the duplicate's differing values are
      // recorded here rather than lost.
      putIfDiffers(metadata, "fullName", duplicate.fullName, survivor.fullName);
      putIfDiffers(metadata, "whatsappPhone", duplicate.whatsappPhone, survivor.whatsappPhone);
      putIfDiffers(metadata, "email", duplicate.email, survivor.email);
      putIfDiffers(metadata, "phone", duplicate.phone, survivor.phone);
      putIfDiffers(metadata, "company", duplicate.company, survivor.company);
      putIfDiffers(metadata, "externalId", duplicate.externalId, survivor.externalId);
      actor.log(tx, survivorId, "merged", null, metadata);
      return customers.find(tx.organizationId(), survivorId).toCustomer();
    });
  }

  private static void putIfDiffers(Map<String, Object> metadata, String field, String duplicate, String survivor) {
    if (duplicate != null && !duplicate.equals(survivor)) {
      metadata.put(survivor == null ? field : "discarded." + field, duplicate);
    }
  }
}
