package io.crmkit.core.internal;

import io.crmkit.core.Page;
import io.crmkit.core.customers.Activity;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.customers.CustomerQuery;
import io.crmkit.core.customers.CustomerService;
import io.crmkit.core.customers.CustomerUpdate;
import io.crmkit.core.customers.ImportOptions;
import io.crmkit.core.customers.ImportReport;
import io.crmkit.core.spi.Inputs;
import java.io.InputStream;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link CustomerService} over the customers and customer_activities tables: the reads by key
 * here, each other concern in its own class ({@link CustomerCreation}, {@link CustomerChanges},
 * {@link CustomerMerge}, {@link CustomerSearch}, {@link CustomerList}, {@link CustomerTimeline},
 * {@link CustomerImport}).
 */
final class SqlCustomerService implements CustomerService {
  private final SqlTenantScope scope;
  private final CustomerActor actor;

  SqlCustomerService(SqlTenantScope scope) {
    this.scope = scope;
    this.actor = new CustomerActor(scope);
  }

  @Override
  public Customer create(CustomerDraft draft) {
    return new CustomerCreation(actor).create(draft);
  }

  @Override
  public Optional<Customer> get(UUID customerId) {
    Objects.requireNonNull(customerId, "customerId");
    return scope.call(tx -> Optional.ofNullable(tx.mapper(CustomerMapper.class).find(tx.organizationId(), customerId))
        .map(Rows.CustomerRow::toCustomer));
  }

  @Override
  public Optional<Customer> findByPhone(String whatsappPhone) {
    PhoneNumbers.written("whatsappPhone", whatsappPhone);
    return scope.call(tx -> {
      String phone = PhoneNumbers.e164("whatsappPhone", whatsappPhone, CustomerFields.region(tx));
      return Optional.ofNullable(tx.mapper(CustomerMapper.class).findByPhone(tx.organizationId(), phone))
          .map(Rows.CustomerRow::toCustomer);
    });
  }

  @Override
  public Optional<Customer> findByEmail(String email) {
    String address = Inputs.email("email", email);
    return scope.call(tx -> Optional.ofNullable(tx.mapper(CustomerMapper.class).findByEmail(tx.organizationId(), address))
        .map(Rows.CustomerRow::toCustomer));
  }

  @Override
  public Optional<Customer> findByExternalId(String externalId) {
    String id = CustomerFields.checked(CustomerUpdate.Field.EXTERNAL_ID, externalId, null);
    return scope.call(tx -> Optional.ofNullable(tx.mapper(CustomerMapper.class)
        .findByExternalId(tx.organizationId(), id)).map(Rows.CustomerRow::toCustomer));
  }

  @Override
  public FoundCustomer findOrCreateByPhone(String whatsappPhone, CustomerDraft draft) {
    return new CustomerCreation(actor).findOrCreateByPhone(whatsappPhone, draft);
  }

  @Override
  public Page<Customer> search(String query, int limit, Optional<String> cursor) {
    return new CustomerSearch(actor).search(query, limit, cursor);
  }

  @Override
  public Page<Customer> list(CustomerQuery query, int limit, Optional<String> cursor) {
    return new CustomerList(actor).list(query, limit, cursor);
  }

  @Override
  public Customer update(UUID customerId, CustomerUpdate update) {
    return new CustomerChanges(actor).update(customerId, update);
  }

  @Override
  public Customer moveToStage(UUID customerId, UUID stageId) {
    return new CustomerChanges(actor).moveToStage(customerId, stageId);
  }

  @Override
  public Customer assign(UUID customerId, Optional<UUID> userId) {
    return new CustomerChanges(actor).assign(customerId, userId);
  }

  @Override
  public Customer tag(UUID customerId, Collection<String> tags) {
    return new CustomerChanges(actor).tag(customerId, tags);
  }

  @Override
  public Customer untag(UUID customerId, Collection<String> tags) {
    return new CustomerChanges(actor).untag(customerId, tags);
  }

  @Override
  public Customer setCustomFields(UUID customerId, Map<String, Object> fields) {
    return new CustomerChanges(actor).setCustomFields(customerId, fields);
  }

  @Override
  public Customer setLeadScore(UUID customerId, int leadScore) {
    return new CustomerChanges(actor).setLeadScore(customerId, leadScore);
  }

  @Override
  public Customer setEstimatedValue(UUID customerId, long minorUnits, String currency) {
    return new CustomerChanges(actor).setEstimatedValue(customerId, minorUnits, currency);
  }

  @Override
  public void delete(UUID customerId) {
    new CustomerChanges(actor).delete(customerId);
  }

  @Override
  public Customer merge(UUID survivorId, UUID duplicateId) {
    return new CustomerMerge(actor).merge(survivorId, duplicateId);
  }

  @Override
  public ImportReport importCsv(InputStream csv, ImportOptions options) {
    Objects.requireNonNull(csv, "csv");
    Objects.requireNonNull(options, "options");
    return new CustomerImport(actor).run(csv, options);
  }

  @Override
  public io.crmkit.core.customers.ImportPreview previewCsv(InputStream csv, ImportOptions options, int rows) {
    Objects.requireNonNull(csv, "csv");
    Objects.requireNonNull(options, "options");
    io.crmkit.core.spi.Inputs.pageSize("rows", rows, 100);
    return new CustomerImport(actor).preview(csv, options, rows);
  }

  @Override
  public Activity logActivity(UUID customerId, String type, Optional<String> description,
      Map<String, Object> metadata) {
    return new CustomerTimeline(actor).logActivity(customerId, type, description, metadata);
  }

  @Override
  public Page<Activity> timeline(UUID customerId, int limit, Optional<String> cursor) {
    return new CustomerTimeline(actor).timeline(customerId, limit, cursor);
  }

  @Override
  public Page<Activity> recentActivity(int limit, Optional<String> cursor) {
    return new CustomerTimeline(actor).recentActivity(limit, cursor);
  }
}
