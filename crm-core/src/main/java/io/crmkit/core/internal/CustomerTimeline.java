package io.crmkit.core.internal;

import io.crmkit.core.Page;
import io.crmkit.core.customers.Activity;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Json;
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

  private final CustomerActor actor;

  CustomerTimeline(CustomerActor actor) {
    this.actor = actor;
  }

  Activity logActivity(UUID customerId, String type, Optional<String> description, Map<String, Object> metadata) {
    Objects.requireNonNull(customerId, "customerId");
    if (type == null || !TYPE.matcher(type).matches()) {
      throw new ValidationException("type", "must be 1-50 lowercase letters, digits or '_', starting with a letter");
    }
    Objects.requireNonNull(description, "description");
    Map<String, Object> copy = Json.deepCopy(Objects.requireNonNull(metadata, "metadata"));
    return actor.call(tx -> {
      actor.requireWriter(tx, "customers.logActivity");
      if (tx.mapper(CustomerMapper.class).find(tx.organizationId(), customerId) == null) {
        throw new NotFoundException("customer", customerId);
      }
      return actor.log(tx, customerId, type, description.orElse(null), copy).toActivity();
    });
  }

  Page<Activity> timeline(UUID customerId, int limit, Optional<String> cursor) {
    Objects.requireNonNull(customerId, "customerId");
    return page(customerId, limit, cursor);
  }

  Page<Activity> recentActivity(int limit, Optional<String> cursor) {
    return page(null, limit, cursor);
  }

  /** Activities newest first by (created_at, id), of one customer or (null) of the whole organization. */
  private Page<Activity> page(UUID customerId, int limit, Optional<String> cursor) {
    KeysetPage.size(limit);
    Keyset after = Objects.requireNonNull(cursor, "cursor").map(Keyset::decode).orElse(null);
    return actor.call(tx -> {
      List<Activity> rows = tx.mapper(CustomerMapper.class).timeline(tx.organizationId(), customerId,
          after == null ? null : after.at(), after == null ? null : after.id(), limit + 1).stream()
          .map(Rows.ActivityRow::toActivity).toList();
      return Keyset.page(rows, limit, activity -> new Keyset(activity.createdAt(), activity.id()));
    });
  }
}
