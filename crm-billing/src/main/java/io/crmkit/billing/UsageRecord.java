package io.crmkit.billing;

import java.time.Instant;
import java.util.Objects;

/**
 * What an organization used of one metric in one billing period, as last recorded.
 *
 * @param metric what was measured
 * @param periodStart the period's start: the subscription's current period, or the calendar month
 *     in the organization's time zone when no subscription runs
 * @param periodEnd the period's end (exclusive)
 * @param quantity the count in the period so far ({@link UsageMetric#counted()}), or the highest level seen in it
 * @param recordedAt when it was last recorded
 */
public record UsageRecord(UsageMetric metric, Instant periodStart, Instant periodEnd, long quantity,
    Instant recordedAt) {
  /** Checks the parts. */
  public UsageRecord {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(periodStart, "periodStart");
    Objects.requireNonNull(periodEnd, "periodEnd");
    Objects.requireNonNull(recordedAt, "recordedAt");
  }
}
