package io.crmkit.billing.internal;

import io.crmkit.billing.UsageMetric;
import io.crmkit.billing.UsageRecord;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** Rows of the usage statements, filled by column name. */
final class UsageRows {
  private UsageRows() {}

  /** An amount of a metric: what a counter grew by, or a level. */
  static class Amount {
    String metric;
    long amount;
  }

  /** A usage record as stored. */
  static class Usage {
    String metric;
    Instant periodStart;
    Instant periodEnd;
    long quantity;
    Instant recordedAt;

    UsageRecord toRecord() {
      return new UsageRecord(UsageMetric.valueOf(metric.toUpperCase(Locale.ROOT)), periodStart, periodEnd, quantity,
          recordedAt);
    }
  }

  /** A meter event due, across tenants. */
  static class Due {
    UUID organizationId;
    UUID id;
  }

  /** A meter event claimed for an attempt. */
  static class MeterEvent {
    UUID id;
    String metric;
    String eventName;
    String stripeCustomerId;
    long value;
    Instant occurredAt;
    int attempts;
    Instant maybeSentAt;

    /** Its identifier at Stripe, and the idempotency key of its request. */
    String identifier() {
      return "crmkit-" + id;
    }
  }
}
