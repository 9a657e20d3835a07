package io.crmkit.billing;

/**
 * What one {@link BillingJobs#reportUsage} call did with the meter events it found due.
 *
 * @param accepted events Stripe accepted
 * @param retrying events that failed this time and will be tried again later (Stripe refused or
 *     could not be reached); the log says why
 * @param expired events older than Stripe's 35-day window, which can no longer be reported
 * @param unknown events whose earlier attempt may have reached Stripe more than 23 hours ago, so
 *     that a retry could count twice: not sent again; check them in Stripe's dashboard
 */
public record MeterReport(int accepted, int retrying, int expired, int unknown) {
  /** Events it looked at. */
  public int total() {
    return accepted + retrying + expired + unknown;
  }
}
