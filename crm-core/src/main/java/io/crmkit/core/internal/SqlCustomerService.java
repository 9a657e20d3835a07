package io.crmkit.core.internal;

import io.crmkit.core.Actor;
import io.crmkit.core.Page;
import io.crmkit.core.customers.Activity;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.customers.CustomerService;
import io.crmkit.core.customers.CustomerUpdate;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.spi.Json;
import io.crmkit.core.users.Role;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** {@link CustomerService} over the customers and customer_activities tables. */
final class SqlCustomerService implements CustomerService {
  /** The usage counter that holds max_customers: a running total. */
  static final String CUSTOMERS = "customers";
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+",
      Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern TAG = Pattern.compile("\\S(.{0,62}\\S)?");
  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,49}");
  private static final Role[] WRITERS = {Role.ADMIN, Role.MANAGER, Role.AGENT};

  private final SqlTenantScope scope;

  SqlCustomerService(SqlTenantScope scope) {
    this.scope = scope;
  }

  @Override
  public Customer create(CustomerDraft draft) {
    Objects.requireNonNull(draft, "draft");
    return scope.call(tx -> {
      requireWriter(tx, "customers.create");
      Rows.CustomerRow row = newRow(tx, draft, null);
      // The unit first: a host that catches the limit error inside its own transaction must not
      // be left with an uncounted customer.
      takeCustomerUnit(tx);
      Rows.CustomerRow created = insert(tx, row, draft);
      if (created == null) {
        UsageCounters.release(tx, CUSTOMERS, UsageCounters.RUNNING_TOTAL, 1);
        throw conflict(tx, row);
      }
      return created.toCustomer();
    });
  }

  @Override
  public Optional<Customer> get(UUID customerId) {
    Objects.requireNonNull(customerId, "customerId");
    return scope.call(tx -> Optional.ofNullable(tx.mapper(CustomerMapper.class).find(tx.organizationId(), customerId))
        .map(Rows.CustomerRow::toCustomer));
  }

  @Override
  public Optional<Customer> findByPhone(String whatsappPhone) {
    return scope.call(tx -> {
      String phone = PhoneNumbers.e164("whatsappPhone", whatsappPhone, region(tx));
      return Optional.ofNullable(tx.mapper(CustomerMapper.class).findByPhone(tx.organizationId(), phone))
          .map(Rows.CustomerRow::toCustomer);
    });
  }

  @Override
  public Optional<Customer> findByEmail(String email) {
    String address = email("email", email);
    return scope.call(tx -> Optional.ofNullable(tx.mapper(CustomerMapper.class).findByEmail(tx.organizationId(), address))
        .map(Rows.CustomerRow::toCustomer));
  }

  @Override
  public FoundCustomer findOrCreateByPhone(String whatsappPhone, CustomerDraft draft) {
    Objects.requireNonNull(draft, "draft");
    return scope.call(tx -> {
      requireWriter(tx, "customers.create");
      CustomerMapper customers = tx.mapper(CustomerMapper.class);
      String phone = PhoneNumbers.e164("whatsappPhone", whatsappPhone, region(tx));
      Rows.CustomerRow existing = customers.findByPhone(tx.organizationId(), phone);
      if (existing != null) {
        return new FoundCustomer(existing.toCustomer(), false);
      }
      Rows.CustomerRow row = newRow(tx, draft, phone);
      takeCustomerUnit(tx);
      Rows.CustomerRow created = insert(tx, row, draft);
      if (created == null) {
        UsageCounters.release(tx, CUSTOMERS, UsageCounters.RUNNING_TOTAL, 1);
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

  @Override
  public Customer update(UUID customerId, CustomerUpdate update) {
    Objects.requireNonNull(update, "update");
    return change(customerId, "customers.update", (tx, customers, before) -> {
      if (update.isEmpty()) {
        return;
      }
      String region = update.changes().containsKey(CustomerUpdate.Field.WHATSAPP_PHONE)
          || update.changes().containsKey(CustomerUpdate.Field.PHONE) ? region(tx) : null;
      Map<CustomerUpdate.Field, String> after = new java.util.EnumMap<>(CustomerUpdate.Field.class);
      after.put(CustomerUpdate.Field.FULL_NAME, before.fullName);
      after.put(CustomerUpdate.Field.WHATSAPP_PHONE, before.whatsappPhone);
      after.put(CustomerUpdate.Field.EMAIL, before.email);
      after.put(CustomerUpdate.Field.PHONE, before.phone);
      after.put(CustomerUpdate.Field.COMPANY, before.company);
      after.put(CustomerUpdate.Field.POSITION, before.position);
      after.put(CustomerUpdate.Field.NOTES, before.notes);
      update.changes().forEach((field, change) -> after.put(field,
          change.map(v -> checked(field, v, region)).applyTo(java.util.Optional.empty()).orElse(null)));
      if (after.get(CustomerUpdate.Field.FULL_NAME) == null && after.get(CustomerUpdate.Field.WHATSAPP_PHONE) == null
          && after.get(CustomerUpdate.Field.EMAIL) == null && after.get(CustomerUpdate.Field.PHONE) == null) {
        throw new ValidationException(update.changes().keySet().iterator().next().key(),
            "a customer needs a name, a phone or an email");
      }
      List<String> changed = new ArrayList<>();
      Rows.CustomerRow current = new Rows.CustomerRow();
      for (Map.Entry<CustomerUpdate.Field, String> field : after.entrySet()) {
        String old = switch (field.getKey()) {
          case FULL_NAME -> before.fullName;
          case WHATSAPP_PHONE -> before.whatsappPhone;
          case EMAIL -> before.email;
          case PHONE -> before.phone;
          case COMPANY -> before.company;
          case POSITION -> before.position;
          case NOTES -> before.notes;
        };
        if (!Objects.equals(old, field.getValue())) {
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
      current.fullName = after.get(CustomerUpdate.Field.FULL_NAME);
      current.whatsappPhone = phone;
      current.email = email;
      current.phone = after.get(CustomerUpdate.Field.PHONE);
      current.company = after.get(CustomerUpdate.Field.COMPANY);
      current.position = after.get(CustomerUpdate.Field.POSITION);
      current.notes = after.get(CustomerUpdate.Field.NOTES);
      customers.updateContact(tx.organizationId(), customerId, current);
      Performer by = Performer.of(scope.actor());
      customers.logFields(tx.organizationId(), customerId, changed, by.member(), by.system());
    });
  }

  /** A field's new value, checked and normalized as on create. */
  private static String checked(CustomerUpdate.Field field, String value, String region) {
    return switch (field) {
      case FULL_NAME -> Inputs.text(field.key(), value, 255);
      case WHATSAPP_PHONE, PHONE -> PhoneNumbers.e164(field.key(), value, region);
      case EMAIL -> email(field.key(), value);
      case COMPANY -> Inputs.text(field.key(), value, 255);
      case POSITION -> Inputs.text(field.key(), value, 100);
      case NOTES -> value;
    };
  }

  @Override
  public Customer moveToStage(UUID customerId, UUID stageId) {
    Objects.requireNonNull(stageId, "stageId");
    return change(customerId, "customers.moveToStage", (tx, customers, before) -> {
      if (!customers.stageExists(tx.organizationId(), stageId)) {
        throw new NotFoundException("stage", stageId);
      }
      if (!before.salesStageId.equals(stageId)) {
        customers.setStage(tx.organizationId(), customerId, stageId);
        log(tx, customerId, "stage_change", null,
            Map.of("from", before.salesStageId.toString(), "to", stageId.toString()));
      }
    });
  }

  @Override
  public Customer assign(UUID customerId, Optional<UUID> userId) {
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
        log(tx, customerId, "assigned", null, metadata);
      }
    });
  }

  @Override
  public Customer tag(UUID customerId, Collection<String> tags) {
    List<String> checked = tags(tags);
    return changeField(customerId, "customers.tag", "tags", r -> r.tags,
        (tx, customers, before) -> customers.addTags(tx.organizationId(), customerId, checked));
  }

  @Override
  public Customer untag(UUID customerId, Collection<String> tags) {
    List<String> checked = tags(tags);
    return changeField(customerId, "customers.untag", "tags", r -> r.tags,
        (tx, customers, before) -> customers.removeTags(tx.organizationId(), customerId, checked));
  }

  @Override
  public Customer setCustomFields(UUID customerId, Map<String, Object> fields) {
    Map<String, Object> copy = Json.deepCopy(Objects.requireNonNull(fields, "fields"));
    return changeField(customerId, "customers.setCustomFields", "customFields", r -> r.customFields,
        (tx, customers, before) -> customers.mergeCustomFields(tx.organizationId(), customerId, Json.fromMap(copy)));
  }

  @Override
  public Customer setLeadScore(UUID customerId, int leadScore) {
    score(leadScore);
    return changeField(customerId, "customers.setLeadScore", "leadScore", r -> r.leadScore,
        (tx, customers, before) -> customers.setLeadScore(tx.organizationId(), customerId, leadScore));
  }

  @Override
  public Customer setEstimatedValue(UUID customerId, long minorUnits, String currency) {
    value(minorUnits, currency);
    return changeField(customerId, "customers.setEstimatedValue", "estimatedValue",
        r -> r.estimatedValueMinor + " " + r.currency,
        (tx, customers, before) -> customers.setValue(tx.organizationId(), customerId, minorUnits, currency));
  }

  @Override
  public void delete(UUID customerId) {
    Objects.requireNonNull(customerId, "customerId");
    scope.call(tx -> {
      tx.requireRole(scope.actor(), "customers.delete", Role.ADMIN, Role.MANAGER);
      if (tx.mapper(CustomerMapper.class).delete(tx.organizationId(), customerId) == 0) {
        throw new NotFoundException("customer", customerId);
      }
      UsageCounters.release(tx, CUSTOMERS, UsageCounters.RUNNING_TOTAL, 1);
      return null;
    });
  }

  @Override
  public Customer merge(UUID survivorId, UUID duplicateId) {
    Objects.requireNonNull(survivorId, "survivorId");
    Objects.requireNonNull(duplicateId, "duplicateId");
    if (survivorId.equals(duplicateId)) {
      throw new ValidationException("duplicateId", "is the survivor itself");
    }
    return scope.call(tx -> {
      tx.requireRole(scope.actor(), "customers.merge", Role.ADMIN, Role.MANAGER);
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
      io.crmkit.core.spi.TenantTransaction moduleTx = SqlTenantWork.viewWithin(tx, scope);
      for (io.crmkit.core.spi.CrmModule module : scope.runtime().modules()) {
        module.mergeCustomers(moduleTx, survivorId, duplicateId);
      }
      // Delete first: the survivor may take over the duplicate's phone or email, which are unique.
      customers.delete(tx.organizationId(), duplicateId);
      UsageCounters.release(tx, CUSTOMERS, UsageCounters.RUNNING_TOTAL, 1);
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
      log(tx, survivorId, "merged", null, metadata);
      return customers.find(tx.organizationId(), survivorId).toCustomer();
    });
  }

  @Override
  public io.crmkit.core.customers.ImportReport importCsv(java.io.InputStream csv, io.crmkit.core.customers.ImportOptions options) {
    Objects.requireNonNull(csv, "csv");
    Objects.requireNonNull(options, "options");
    return new CustomerImport(scope).run(csv, options);
  }

  @Override
  public Activity logActivity(UUID customerId, String type, Optional<String> description,
      Map<String, Object> metadata) {
    Objects.requireNonNull(customerId, "customerId");
    if (type == null || !TYPE.matcher(type).matches()) {
      throw new ValidationException("type", "must be 1-50 lowercase letters, digits or '_', starting with a letter");
    }
    Objects.requireNonNull(description, "description");
    Map<String, Object> copy = Json.deepCopy(Objects.requireNonNull(metadata, "metadata"));
    return scope.call(tx -> {
      requireWriter(tx, "customers.logActivity");
      if (tx.mapper(CustomerMapper.class).find(tx.organizationId(), customerId) == null) {
        throw new NotFoundException("customer", customerId);
      }
      return log(tx, customerId, type, description.orElse(null), copy).toActivity();
    });
  }

  @Override
  public Page<Activity> timeline(UUID customerId, int limit, Optional<String> cursor) {
    Objects.requireNonNull(customerId, "customerId");
    return page(customerId, limit, cursor);
  }

  @Override
  public Page<Customer> search(String query, int limit, Optional<String> cursor) {
    if (query == null || query.isBlank() || query.length() > 200) {
      throw new ValidationException("query", "must be 1 to 200 characters, not blank");
    }
    if (limit < 1 || limit > 200) {
      throw new ValidationException("limit", "must be 1 to 200");
    }
    SearchCursor after = Objects.requireNonNull(cursor, "cursor").map(SearchCursor::decode).orElse(null);
    return scope.call(tx -> {
      List<Rows.CustomerRow> rows = tx.mapper(CustomerMapper.class).search(query.strip(),
          after == null ? null : after.tier, after == null ? null : after.score, after == null ? null : after.at,
          after == null ? null : after.id, limit + 1);
      return page(rows, limit, Rows.CustomerRow::toCustomer,
          last -> new SearchCursor(last.matchTier, last.matchScore, last.createdAt, last.id).encode());
    });
  }

  /**
   * An opaque search position: the last item's tier (0 contains the query, 1 spelled close to it),
   * its score in tier 1, and its (created_at, id).
   */
  private record SearchCursor(int tier, Float score, Instant at, UUID id) {
    String encode() {
      String raw = "s1:" + tier + ":" + (score == null ? "" : Float.toString(score)) + ":" + at.getEpochSecond() + ":"
          + at.getNano() + ":" + id;
      return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static SearchCursor decode(String token) {
      try {
        String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":", -1);
        if (parts.length != 6 || !parts[0].equals("s1")) {
          throw new IllegalArgumentException("shape");
        }
        int tier = Integer.parseInt(parts[1]);
        Float score = parts[2].isEmpty() ? null : Float.valueOf(parts[2]);
        if (tier == 0 ? score != null : tier != 1 || score == null || !(score >= 0f && score <= 1f)) {
          throw new IllegalArgumentException("tier");
        }
        Instant at = Instant.ofEpochSecond(Long.parseLong(parts[3]), Long.parseLong(parts[4]));
        if (at.isBefore(Instant.EPOCH) || at.isAfter(Instant.parse("9999-12-31T00:00:00Z"))) {
          throw new IllegalArgumentException("range");
        }
        return new SearchCursor(tier, score, at, UUID.fromString(parts[5]));
      } catch (RuntimeException e) {
        throw new ValidationException("cursor", "is not a cursor this search returned");
      }
    }
  }

  @Override
  public Page<Customer> list(io.crmkit.core.customers.CustomerQuery query, int limit, Optional<String> cursor) {
    Objects.requireNonNull(query, "query");
    if (limit < 1 || limit > 200) {
      throw new ValidationException("limit", "must be 1 to 200");
    }
    String text = query.text().map(q -> Inputs.text("text", q, 200)).orElse(null);
    List<String> tagsAny = query.tagsAny().isEmpty() ? null : tags(query.tagsAny());
    List<String> tagsAll = query.tagsAll().isEmpty() ? null : tags(query.tagsAll());
    String fieldValue = query.customFieldValue().map(v -> {
      if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
        throw new ValidationException("customFieldValue", "must be a string, number or boolean");
      }
      return Json.MAPPER.valueToTree(v).toString();
    }).orElse(null);
    for (Optional<Instant> bound : List.of(query.createdFrom(), query.createdBefore())) {
      if (bound.isPresent() && (bound.get().isBefore(Instant.EPOCH)
          || bound.get().isAfter(Instant.parse("9999-12-31T00:00:00Z")))) {
        throw new ValidationException("createdBetween", "must be between 1970 and 9999");
      }
    }
    ListCursor after = Objects.requireNonNull(cursor, "cursor").map(ListCursor::decode).orElse(null);
    if (after != null && (!after.sort.equals(query.sort().key()) || after.descending != query.descending())) {
      throw new ValidationException("cursor", "belongs to a list in another order");
    }
    return scope.call(tx -> {
      List<Rows.CustomerRow> rows = tx.mapper(CustomerMapper.class).list(text, query.stageId().orElse(null),
          query.assignedTo().orElse(null), tagsAny, tagsAll,
          query.source().map(src -> src.name().toLowerCase(java.util.Locale.ROOT)).orElse(null),
          query.createdFrom().orElse(null), query.createdBefore().orElse(null), query.customFieldKey().orElse(null),
          fieldValue, query.sort().key(), query.descending(), after == null ? null : after.key,
          after == null ? null : after.id, limit + 1);
      return page(rows, limit, Rows.CustomerRow::toCustomer,
          last -> new ListCursor(query.sort().key(), query.descending(), sortKey(query.sort(), last), last.id).encode());
    });
  }

  /**
   * A page from {@code limit + 1} fetched rows: the extra row only tells that there is a next
   * page, whose cursor is the last returned row's position.
   */
  private static <R, T> Page<T> page(List<R> rows, int limit, java.util.function.Function<R, T> item,
      java.util.function.Function<R, String> cursorAfter) {
    List<T> items = new ArrayList<>();
    for (int i = 0; i < Math.min(limit, rows.size()); i++) {
      items.add(item.apply(rows.get(i)));
    }
    Optional<String> next = rows.size() > limit ? Optional.of(cursorAfter.apply(rows.get(limit - 1))) : Optional.empty();
    return new Page<>(items, next);
  }

  /** The row's value of the sort column, as text the database casts back exactly. */
  private static String sortKey(io.crmkit.core.customers.CustomerSort sort, Rows.CustomerRow row) {
    return switch (sort) {
      case CREATED -> row.createdAt.toString();
      case UPDATED -> row.updatedAt.toString();
      case NAME -> row.nameSort;
      case LEAD_SCORE -> Integer.toString(row.leadScore);
      case VALUE -> Long.toString(row.estimatedValueMinor);
    };
  }

  /** An opaque list position: the order it belongs to, the last row's sort value and id. */
  private record ListCursor(String sort, boolean descending, String key, UUID id) {
    String encode() {
      String raw = "l1\n" + sort + "\n" + descending + "\n" + id + "\n" + key;
      return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static ListCursor decode(String token) {
      try {
        String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\n", 5);
        if (parts.length != 5 || !parts[0].equals("l1")) {
          throw new IllegalArgumentException("shape");
        }
        return new ListCursor(parts[1], Boolean.parseBoolean(parts[2]), key(parts[1], parts[4]),
            UUID.fromString(parts[3]));
      } catch (RuntimeException e) {
        throw new ValidationException("cursor", "is not a cursor this list returned");
      }
    }

    /**
     * The key as {@link #sortKey} writes it for the sort, which the database casts back exactly;
     * anything else (a crafted cursor) is refused here, before any SQL.
     */
    private static String key(String sort, String key) {
      switch (sort) {
        case "created", "updated" -> {
          Instant at = Instant.parse(key);
          if (at.isBefore(Instant.parse("0001-01-01T00:00:00Z")) || at.isAfter(Instant.parse("9999-12-31T23:59:59Z"))) {
            throw new IllegalArgumentException("range");
          }
          return at.toString();
        }
        case "lead_score" -> {
          return Integer.toString(Integer.parseInt(key));
        }
        case "value" -> {
          return Long.toString(Long.parseLong(key));
        }
        case "name" -> {
          if (key.length() > 1000 || key.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("name");
          }
          return key;
        }
        default -> throw new IllegalArgumentException("sort");
      }
    }
  }

  @Override
  public Page<Activity> recentActivity(int limit, Optional<String> cursor) {
    return page(null, limit, cursor);
  }

  /** Activities newest first by (created_at, id), of one customer or (null) of the whole organization. */
  private Page<Activity> page(UUID customerId, int limit, Optional<String> cursor) {
    if (limit < 1 || limit > 200) {
      throw new ValidationException("limit", "must be 1 to 200");
    }
    Cursor after = Objects.requireNonNull(cursor, "cursor").map(Cursor::decode).orElse(null);
    return scope.call(tx -> {
      List<Rows.ActivityRow> rows = tx.mapper(CustomerMapper.class).timeline(tx.organizationId(), customerId,
          after == null ? null : after.at, after == null ? null : after.id, limit + 1);
      return page(rows, limit, Rows.ActivityRow::toActivity, last -> new Cursor(last.createdAt, last.id).encode());
    });
  }

  private static void putIfDiffers(Map<String, Object> metadata, String field, String duplicate, String survivor) {
    if (duplicate != null && !duplicate.equals(survivor)) {
      metadata.put(survivor == null ? field : "discarded." + field, duplicate);
    }
  }

  private interface Change {
    void apply(Tx tx, CustomerMapper customers, Rows.CustomerRow before);
  }

  /** A change to one field that logs a {@code customer_updated} activity naming it, only if the value changed. */
  private Customer changeField(UUID customerId, String operation, String field,
      java.util.function.Function<Rows.CustomerRow, Object> value, Change change) {
    return change(customerId, operation, (tx, customers, before) -> {
      change.apply(tx, customers, before);
      Rows.CustomerRow after = customers.find(tx.organizationId(), customerId);
      if (!Objects.equals(value.apply(before), value.apply(after))) {
        log(tx, customerId, "customer_updated", null, Map.of("field", field));
      }
    });
  }

  /** A change to one customer, with its row locked, by a member who may write. */
  private Customer change(UUID customerId, String operation, Change change) {
    Objects.requireNonNull(customerId, "customerId");
    return scope.call(tx -> {
      requireWriter(tx, operation);
      CustomerMapper customers = tx.mapper(CustomerMapper.class);
      Rows.CustomerRow before = customers.findForUpdate(tx.organizationId(), customerId);
      if (before == null) {
        throw new NotFoundException("customer", customerId);
      }
      change.apply(tx, customers, before);
      return customers.find(tx.organizationId(), customerId).toCustomer();
    });
  }

  private void requireWriter(Tx tx, String operation) {
    if (scope.actor() instanceof Actor.Member) {
      tx.requireRole(scope.actor(), operation, WRITERS);
    }
  }

  /** Inserts a new customer with its {@code customer_created} activity; null if its phone or email is taken. */
  private Rows.CustomerRow insert(Tx tx, Rows.CustomerRow row, CustomerDraft draft) {
    Performer by = Performer.of(scope.actor());
    return tx.mapper(CustomerMapper.class).insert(row, by.member(), by.system(),
        Json.fromMap(Map.of("source", draft.source().name().toLowerCase(java.util.Locale.ROOT))));
  }

  /** The row for a draft, every field checked; {@code whatsappPhone}, when given (normalized), wins over the draft's. */
  private Rows.CustomerRow newRow(Tx tx, CustomerDraft draft, String whatsappPhone) {
    Rows.NewCustomerContext context = tx.mapper(CustomerMapper.class).newCustomerContext(tx.organizationId(),
        draft.stageId().orElse(null));
    String region = context.region;
    Rows.CustomerRow row = new Rows.CustomerRow();
    row.organizationId = tx.organizationId();
    row.fullName = draft.fullName().map(n -> Inputs.text("fullName", n, 255)).orElse(null);
    row.whatsappPhone = whatsappPhone != null ? whatsappPhone
        : draft.whatsappPhone().map(p -> PhoneNumbers.e164("whatsappPhone", p, region)).orElse(null);
    row.email = draft.email().map(e -> email("email", e)).orElse(null);
    row.phone = draft.phone().map(p -> PhoneNumbers.e164("phone", p, region)).orElse(null);
    row.company = draft.company().map(c -> Inputs.text("company", c, 255)).orElse(null);
    row.position = draft.position().map(p -> Inputs.text("position", p, 100)).orElse(null);
    if (row.fullName == null && row.whatsappPhone == null && row.email == null && row.phone == null) {
      throw new ValidationException("fullName", "a customer needs a name, a phone or an email");
    }
    row.leadScore = score(draft.leadScore());
    value(draft.estimatedValueMinor(), draft.currency());
    row.estimatedValueMinor = draft.estimatedValueMinor();
    row.currency = draft.currency();
    row.source = draft.source();
    row.tags = tags(draft.tags());
    row.notes = draft.notes().orElse(null);
    row.customFields = Json.fromMap(draft.customFields());
    CustomerMapper customers = tx.mapper(CustomerMapper.class);
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
    row.createdBy = Performer.of(scope.actor()).member();
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
    UsageCounters.takeWithinLimit(tx, CUSTOMERS, UsageCounters.RUNNING_TOTAL, 1, Limit.CUSTOMERS);
  }

  private Rows.ActivityRow log(Tx tx, UUID customerId, String type, String description, Map<String, Object> metadata) {
    Performer by = Performer.of(scope.actor());
    return tx.mapper(CustomerMapper.class).insertActivity(tx.organizationId(), customerId, type, description,
        by.member(), by.system(), Json.fromMap(metadata));
  }

  private static String region(Tx tx) {
    return tx.mapper(CustomerMapper.class).region(tx.organizationId());
  }

  private static String email(String field, String value) {
    if (value == null || value.strip().length() > 254 || !EMAIL.matcher(value.strip()).matches()) {
      throw new ValidationException(field, "is not an email address");
    }
    return value.strip();
  }

  private static int score(int score) {
    if (score < 0 || score > 100) {
      throw new ValidationException("leadScore", "must be 0 to 100");
    }
    return score;
  }

  private static void value(long minorUnits, String currency) {
    if (minorUnits < 0 || minorUnits > 1_000_000_000_000_000L) {
      throw new ValidationException("estimatedValue", "must be 0 to 10^15 minor units");
    }
    if (currency == null || !currency.matches("[A-Z]{3}")) {
      throw new ValidationException("currency", "must be an ISO 4217 code such as SAR");
    }
  }

  private static List<String> tags(Collection<String> tags) {
    Objects.requireNonNull(tags, "tags");
    List<String> checked = new ArrayList<>();
    for (String tag : tags) {
      if (tag == null || !TAG.matcher(tag.strip()).matches()) {
        throw new ValidationException("tags", "a tag is 1 to 64 characters, not blank");
      }
      checked.add(tag.strip());
    }
    return checked;
  }

  /** An opaque keyset position: the last item's (created_at, id). */
  private record Cursor(Instant at, UUID id) {
    String encode() {
      String raw = "v1:" + at.getEpochSecond() + ":" + at.getNano() + ":" + id;
      return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String token) {
      try {
        String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":");
        if (parts.length != 4 || !parts[0].equals("v1")) {
          throw new IllegalArgumentException("shape");
        }
        Instant at = Instant.ofEpochSecond(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
        if (at.isBefore(Instant.parse("1970-01-01T00:00:00Z")) || at.isAfter(Instant.parse("9999-12-31T00:00:00Z"))) {
          throw new IllegalArgumentException("range");
        }
        return new Cursor(at, UUID.fromString(parts[3]));
      } catch (RuntimeException e) {
        throw new ValidationException("cursor", "is not a cursor this list returned");
      }
    }
  }
}
