package io.crmkit.core.customers;

import io.crmkit.core.Page;
import io.crmkit.core.exception.ValidationException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Which customers a list shows and in what order; every field is optional and they combine with AND.
 *
 * <pre>{@code
 * Page<Customer> page = scope.customers().list(CustomerQuery.builder()
 *     .text("احمد").stage(proposal).tagsAny(List.of("vip")).sort(CustomerSort.VALUE, true).build(), 50, Optional.empty());
 * }</pre>
 *
 * @param text substring of name, company, email or phones (Arabic-folded, as {@link CustomerService#search})
 * @param stageId in this stage
 * @param assignedTo assigned to this member
 * @param tagsAny having at least one of these tags
 * @param tagsAll having all of these tags
 * @param source from this source
 * @param createdFrom created at or after
 * @param createdBefore created before
 * @param customFieldKey with this custom field…
 * @param customFieldValue …equal to this value (a string, number or boolean)
 * @param sort the order
 * @param descending whether the order is descending
 */
public record CustomerQuery(
    Optional<String> text,
    Optional<UUID> stageId,
    Optional<UUID> assignedTo,
    List<String> tagsAny,
    List<String> tagsAll,
    Optional<CustomerSource> source,
    Optional<Instant> createdFrom,
    Optional<Instant> createdBefore,
    Optional<String> customFieldKey,
    Optional<Object> customFieldValue,
    CustomerSort sort,
    boolean descending) {

  /** Creates the query. */
  public CustomerQuery {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(stageId, "stageId");
    Objects.requireNonNull(assignedTo, "assignedTo");
    tagsAny = List.copyOf(tagsAny);
    tagsAll = List.copyOf(tagsAll);
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(createdFrom, "createdFrom");
    Objects.requireNonNull(createdBefore, "createdBefore");
    Objects.requireNonNull(customFieldKey, "customFieldKey");
    Objects.requireNonNull(customFieldValue, "customFieldValue");
    Objects.requireNonNull(sort, "sort");
    if (customFieldKey.isPresent() != customFieldValue.isPresent()) {
      throw new ValidationException("customFieldValue", "a custom field filter needs both a key and a value");
    }
  }

  /** Starts a query for every customer, newest first. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link CustomerQuery}. */
  public static final class Builder {
    private String text;
    private UUID stageId;
    private UUID assignedTo;
    private List<String> tagsAny = List.of();
    private List<String> tagsAll = List.of();
    private CustomerSource source;
    private Instant createdFrom;
    private Instant createdBefore;
    private String customFieldKey;
    private Object customFieldValue;
    private CustomerSort sort = CustomerSort.CREATED;
    private boolean descending = true;

    private Builder() {}

    /** Only customers whose text contains this. */
    public Builder text(String text) {
      this.text = Objects.requireNonNull(text, "text");
      return this;
    }

    /** Only customers in this stage. */
    public Builder stage(UUID stageId) {
      this.stageId = Objects.requireNonNull(stageId, "stageId");
      return this;
    }

    /** Only customers assigned to this member. */
    public Builder assignedTo(UUID userId) {
      this.assignedTo = Objects.requireNonNull(userId, "userId");
      return this;
    }

    /** Only customers with at least one of these tags. */
    public Builder tagsAny(List<String> tags) {
      this.tagsAny = List.copyOf(tags);
      return this;
    }

    /** Only customers with all of these tags. */
    public Builder tagsAll(List<String> tags) {
      this.tagsAll = List.copyOf(tags);
      return this;
    }

    /** Only customers from this source. */
    public Builder source(CustomerSource source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /** Only customers created in [{@code from}, {@code before}). */
    public Builder createdBetween(Instant from, Instant before) {
      this.createdFrom = Objects.requireNonNull(from, "from");
      this.createdBefore = Objects.requireNonNull(before, "before");
      return this;
    }

    /** Only customers whose custom field {@code key} equals {@code value}. */
    public Builder customField(String key, Object value) {
      this.customFieldKey = Objects.requireNonNull(key, "key");
      this.customFieldValue = Objects.requireNonNull(value, "value");
      return this;
    }

    /** Orders by {@code sort}, descending or not. */
    public Builder sort(CustomerSort sort, boolean descending) {
      this.sort = Objects.requireNonNull(sort, "sort");
      this.descending = descending;
      return this;
    }

    /** Builds the query. */
    public CustomerQuery build() {
      return new CustomerQuery(Optional.ofNullable(text), Optional.ofNullable(stageId), Optional.ofNullable(assignedTo),
          tagsAny, tagsAll, Optional.ofNullable(source), Optional.ofNullable(createdFrom),
          Optional.ofNullable(createdBefore), Optional.ofNullable(customFieldKey), Optional.ofNullable(customFieldValue),
          sort, descending);
    }
  }
}
