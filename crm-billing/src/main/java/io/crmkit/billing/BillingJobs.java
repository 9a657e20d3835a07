package io.crmkit.billing;

/**
 * Billing's job across tenants, from the Crm: {@code crm.service(BillingJobs.class)}. Safe from
 * any number of processes.
 *
 * <pre>{@code
 * // every hour or so, from the host's scheduler
 * int moved = crm.service(BillingJobs.class).endGracePeriods(100);
 * }</pre>
 */
public interface BillingJobs {
  /**
   * Moves organizations whose subscription has been past due for longer than the grace period
   * ({@code BillingModule.Builder.gracePeriod}) to the fallback plan; a later payment moves them
   * back through the webhook.
   *
   * @param max organizations per call, 1 to 1,000
   * @return how many were moved
   */
  int endGracePeriods(int max);
}
