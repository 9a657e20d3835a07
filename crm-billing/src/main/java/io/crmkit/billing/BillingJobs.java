package io.crmkit.billing;

/**
 * Billing's jobs across tenants, from the Crm: {@code crm.service(BillingJobs.class)}. Each is safe
 * from any number of processes at once; the host's scheduler runs them.
 *
 * <pre>{@code
 * BillingJobs jobs = crm.service(BillingJobs.class);
 * // every hour or so
 * jobs.endGracePeriods(100);
 * jobs.endTrials(100);
 * // every few minutes, until they return less than asked
 * while (jobs.recordUsage(500) == 500) {}
 * while (jobs.reportUsage(500).total() == 500) {}
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

  /**
   * Moves organizations whose trial (the 14 days crm-core gives a new organization on its plan)
   * ended before any subscription began to the fallback plan, as {@code canceled}; a checkout then
   * moves them to what they buy. Organizations on the fallback plan, and those with a subscription
   * (whose state Stripe's events decide), are left alone.
   *
   * @param max organizations per call, 1 to 1,000
   * @return how many were moved
   */
  int endTrials(int max);

  /**
   * Records the usage of up to {@code max} organizations not recorded in the last minute (never
   * recorded first, then the longest ago) into {@code usage_records}, from crm-core's counters:
   * what they grew by since the last recording is added to the current billing period, and levels
   * keep their highest value. For the metrics given to {@code BillingModule.Builder.meter}, what was
   * added is queued, in the same transaction, as a meter event for {@link #reportUsage} (only for an
   * organization with a Stripe customer). Usage is attributed to the period in which it is recorded,
   * so run it often (every few minutes) and usage lands in the period it happened in.
   *
   * @param max organizations per call, 1 to 1,000
   * @return how many organizations were recorded
   */
  int recordUsage(int max);

  /**
   * Sends up to {@code max} due meter events to Stripe's billing meters, each in one request with
   * its own identifier (also the request's idempotency key) and the time it was recorded. One that
   * fails is tried again by a later call (after 1 minute, doubling to 1 hour), until Stripe accepts
   * it or it leaves Stripe's 35-day window ({@code expired}); one whose earlier attempt may have
   * reached Stripe is not sent again once Stripe's 24-hour deduplication may have forgotten it
   * ({@code unknown}, logged), so no usage counts twice. Usage accepted after Stripe invoiced its
   * period is not billed.
   *
   * @param max events per call, 1 to 1,000
   * @throws IllegalStateException if no metric is metered ({@code BillingModule.Builder.meter})
   */
  MeterReport reportUsage(int max);
}
