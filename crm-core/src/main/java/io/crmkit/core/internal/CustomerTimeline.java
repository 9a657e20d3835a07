package io.crmkit.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.core.Page;
import io.crmkit.core.customers.Activity;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.spi.Keyset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** The activity timeline: activities logged by hand, and pages of a customer's or the organization's, newest first. */
final class CustomerTimeline {
  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,49}");
  /** The longest description an activity logged by hand keeps, as a customer's notes. */
  static final int MAX_DESCRIPTION = CustomerFields.MAX_NOTES;

  private final CustomerActor actor;

  CustomerTimeline(CustomerActor actor) {
    this.actor = actor;
  }

  Activity logActivity(UUID customerId, String type, Optional<String> description, Map<String, Object> metadata) {
    Objects.requireNonNull(customerId, "customerId");
    if (type == null || !TYPE.matcher(type).matches()) {
      throw new ValidationException("type", "must be 1-50 lowercase letters, digits or '_', starting with a letter");
    }
    String text = Objects.requireNonNull(description, "description")
        .flatMap(d -> Inputs.optionalMultiline("description", d, MAX_DESCRIPTION)).orElse(null);
    JsonNode details = Inputs.customFields("metadata", Objects.requireNonNull(metadata, "metadata"));
    return actor.call(tx -> {
      actor.requireWriter(tx, "customers.logActivity");
      requireCustomer(tx, customerId);
      return actor.log(tx, customerId, type, text, details).toActivity();
    });
  }

  Page<Activity> timeline(UUID customerId, int limit, Optional<String> cursor) {
    Objects.requireNonNull(customerId, "customerId");
    return page(customerId, limit, cursor);
  }

  Page<Activity> recentActivity(int limit, Optional<String> cursor) {
    return page(null, limit, cursor);
  }

  private static void requireCustomer(Tx tx, UUID customerId) {
    if (!tx.mapper(CustomerMapper.class).exists(tx.organizationId(), customerId)) {
      throw new NotFoundException("customer", customerId);
    }
  }

  /** Activities newest first by (created_at, id), of one customer or (null) of the whole organization. */
  private Page<Activity> page(UUID customerId, int limit, Optional<String> cursor) {
    KeysetPage.size(limit);
    Keyset after = Objects.requireNonNull(cursor, "cursor").map(Keyset::decode).orElse(null);
    return actor.call(tx -> {
      if (customerId != null) {
        // A customer this tenant cannot see is not found, as one that does not exist: never an empty page.
        requireCustomer(tx, customerId);
      }
      List<Activity> rows = tx.mapper(CustomerMapper.class).timeline(tx.organizationId(), customerId,
          after == null ? null : after.at(), after == null ? null : after.id(), limit + 1).stream()
          .map(Rows.ActivityRow::toActivity).toList();
      return Keyset.page(rows, limit, activity -> new Keyset(activity.createdAt(), activity.id()));
    });
  }
}
