package io.crmkit.core.internal;

import io.crmkit.core.exception.CrmException;
import io.crmkit.core.exception.LimitExceededException;
import io.crmkit.core.platform.Limit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * An organization's limits as get_organization_limits() computes them (plan, then custom
 * overrides), read in the current tenant transaction. A limit the function does not return is an
 * error, never "unlimited".
 */
record EffectiveLimits(String planSlug, Map<Limit, OptionalLong> values) {

  /** Reads the current tenant's limits. */
  static EffectiveLimits read(Tx tx) {
    List<Rows.LimitRow> rows = tx.mapper(PlanMapper.class).organizationLimits(tx.organizationId());
    Map<Limit, OptionalLong> values = new EnumMap<>(Limit.class);
    String plan = null;
    for (Rows.LimitRow row : rows) {
      plan = row.packageSlug;
      if (row.unlimited || row.limitValue != null) {
        values.put(Limit.ofColumn(row.limitName),
            row.unlimited ? OptionalLong.empty() : OptionalLong.of(row.limitValue));
      }
    }
    for (Limit limit : Limit.values()) {
      if (!values.containsKey(limit)) {
        throw new CrmException("the plan catalog has no value for " + limit.column() + " of organization "
            + tx.organizationId() + "; a missing limit is never read as unlimited");
      }
    }
    return new EffectiveLimits(plan, Map.copyOf(values));
  }

  /** The limit's value, empty when unlimited. */
  OptionalLong get(Limit limit) {
    return values.get(limit);
  }

  /** Throws {@link LimitExceededException} if {@code wanted} passes the limit. */
  void require(Limit limit, long wanted) {
    OptionalLong max = get(limit);
    if (max.isPresent() && wanted > max.getAsLong()) {
      throw new LimitExceededException(limit, max.getAsLong(), planSlug);
    }
  }
}
