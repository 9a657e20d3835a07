package io.crmkit.core.platform;

import java.util.Map;
import java.util.OptionalLong;

/**
 * What the scope's organization may use: its plan's limits with its custom limits applied, and
 * its plan's features. The Java twin of the SQL functions {@code get_organization_limits} and
 * {@code organization_has_feature}.
 */
public interface Entitlements {

  /** The organization's plan. */
  Plan plan();

  /** Every limit's effective value; an empty value means unlimited. */
  Map<Limit, OptionalLong> limits();

  /** One limit's effective value; empty means unlimited. */
  OptionalLong limit(Limit limit);

  /**
   * Whether the plan turns the feature on (e.g. {@code "bulk_sender"}); unknown features are off.
   *
   * @throws io.crmkit.core.exception.ValidationException for a name that is blank, over 64
   *     characters or not one line of text
   */
  boolean hasFeature(String feature);

  /**
   * Refuses {@code operation} unless the plan turns the feature on: the check a module makes before
   * work its plan must include.
   *
   * <pre>{@code
   * tx.scope().entitlements().requireFeature("ticketing", "tickets.open");
   * }</pre>
   *
   * @throws io.crmkit.core.exception.FeatureNotInPlanException if it does not, naming the feature and the plan
   * @throws io.crmkit.core.exception.ValidationException for a feature as {@link #hasFeature}'s, or an
   *     operation that is blank, over 100 characters or not one line of text
   */
  void requireFeature(String feature, String operation);
}
