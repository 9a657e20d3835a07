package io.crmkit.billing.internal;

import io.crmkit.core.platform.SubscriptionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What an organization gets for its subscription's status: the policy the module applies to the
 * organization's plan, so every module obeys it through crm-core's limits.
 *
 * <table>
 *   <caption>The plan an organization is on, by its latest subscription's status</caption>
 *   <tr><th>status</th><th>plan</th></tr>
 *   <tr><td>trialing, active</td><td>the subscription's</td></tr>
 *   <tr><td>past_due</td><td>the subscription's for the grace period, then the fallback</td></tr>
 *   <tr><td>incomplete</td><td>unchanged (nothing paid yet)</td></tr>
 *   <tr><td>incomplete_expired, canceled, unpaid, paused</td><td>the fallback (free)</td></tr>
 * </table>
 *
 * <p>A subscription whose price is not one of the catalog's leaves the plan as it is. Data is
 * never deleted: above the new limits, an organization keeps everything and cannot create more.
 */
final class BillingPolicy {
  private BillingPolicy() {}

  /**
   * The plan the organization should be on, or empty to keep its current one.
   *
   * @param status the subscription's status
   * @param subscriptionPlan the catalog's plan of its price, if it is one
   * @param pastDueSince when it went past due, if it is
   */
  static Optional<String> plan(SubscriptionStatus status, Optional<String> subscriptionPlan,
      Optional<Instant> pastDueSince, Instant now, Duration grace, String fallback) {
    return switch (status) {
      case TRIALING, ACTIVE -> subscriptionPlan;
      case PAST_DUE -> pastDueSince.isPresent() && !now.isBefore(pastDueSince.get().plus(grace))
          ? Optional.of(fallback) : subscriptionPlan;
      case INCOMPLETE -> Optional.empty();
      case INCOMPLETE_EXPIRED, CANCELED, UNPAID, PAUSED -> Optional.of(fallback);
    };
  }
}
