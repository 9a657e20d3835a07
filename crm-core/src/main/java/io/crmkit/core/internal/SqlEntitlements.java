package io.crmkit.core.internal;

import io.crmkit.core.exception.CrmException;
import io.crmkit.core.exception.FeatureNotInPlanException;
import io.crmkit.core.platform.Entitlements;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.platform.Plan;
import io.crmkit.core.spi.Inputs;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/** {@link Entitlements} through get_organization_limits / organization_has_feature. */
final class SqlEntitlements implements Entitlements {
  /** The longest feature name asked about (a key of the catalog's features object). */
  private static final int MAX_FEATURE = 64;
  /** The longest operation name, as {@code "campaigns.start"}. */
  private static final int MAX_OPERATION = 100;

  private final SqlTenantScope scope;

  SqlEntitlements(SqlTenantScope scope) {
    this.scope = scope;
  }

  @Override
  public Plan plan() {
    return scope.call(tx -> {
      Rows.OrganizationRow org = tx.mapper(OrganizationMapper.class).find(tx.organizationId());
      Rows.PlanRow plan = org == null ? null : tx.mapper(PlanMapper.class).findById(org.packageId);
      if (plan == null) {
        throw new CrmException("the plan of organization " + tx.organizationId() + " is missing from the catalog");
      }
      return plan.toPlan();
    });
  }

  @Override
  public Map<Limit, OptionalLong> limits() {
    return scope.call(tx -> EffectiveLimits.read(tx).values());
  }

  @Override
  public OptionalLong limit(Limit limit) {
    Objects.requireNonNull(limit, "limit");
    return scope.call(tx -> EffectiveLimits.read(tx).get(limit));
  }

  @Override
  public boolean hasFeature(String feature) {
    String name = Inputs.text("feature", Objects.requireNonNull(feature, "feature"), MAX_FEATURE);
    return scope.call(tx -> tx.mapper(PlanMapper.class).hasFeature(tx.organizationId(), name));
  }

  @Override
  public void requireFeature(String feature, String operation) {
    String name = Inputs.text("feature", Objects.requireNonNull(feature, "feature"), MAX_FEATURE);
    String what = Inputs.text("operation", Objects.requireNonNull(operation, "operation"), MAX_OPERATION);
    scope.call(tx -> {
      if (!tx.mapper(PlanMapper.class).hasFeature(tx.organizationId(), name)) {
        Rows.OrganizationRow org = tx.mapper(OrganizationMapper.class).find(tx.organizationId());
        Rows.PlanRow plan = org == null ? null : tx.mapper(PlanMapper.class).findById(org.packageId);
        throw new FeatureNotInPlanException(name, plan == null ? "(missing)" : plan.toPlan().slug(), what);
      }
      return null;
    });
  }
}
