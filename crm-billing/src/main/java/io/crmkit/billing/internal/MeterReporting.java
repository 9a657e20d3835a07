package io.crmkit.billing.internal;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import io.crmkit.billing.MeterReport;
import io.crmkit.core.Crm;
import io.crmkit.core.spi.TenantWork;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code BillingJobs.reportUsage}: sends queued meter events to Stripe, one at a time, each claimed
 * first (so two jobs never send one event at once) and settled after Stripe answers. The event's
 * identifier is also the request's idempotency key, which Stripe keeps for 24 hours: an attempt
 * that may have reached Stripe is retried only within 23 hours of it, later it is left
 * {@code unknown} rather than risk counting twice. Refused or unreachable attempts are retried,
 * after 1 minute doubling to 1 hour, until the event leaves Stripe's 35-day window.
 */
final class MeterReporting {
  private static final Logger log = LoggerFactory.getLogger(MeterReporting.class);
  /** Stripe takes events of the past 35 days; this leaves an hour of margin. */
  static final Duration WINDOW = Duration.ofDays(35).minusHours(1);
  /** Stripe deduplicates identifiers (and idempotency keys) for at least 24 hours. */
  static final Duration DEDUPLICATED = Duration.ofHours(23);
  /** How long a claimed event is left alone by other jobs: longer than an attempt with its retries. */
  private static final Duration LEASE = Duration.ofMinutes(5);
  private final Crm crm;
  private final StripeGateway stripe;

  MeterReporting(Crm crm, StripeGateway stripe) {
    this.crm = crm;
    this.stripe = stripe;
  }

  MeterReport report(int max) {
    List<UsageRows.Due> due = TenantWork.crossTenant(crm,
        tx -> tx.mapper(UsageMapper.class).meterEventsDue(tx.now(), max));
    int accepted = 0;
    int retrying = 0;
    int expired = 0;
    int unknown = 0;
    for (UsageRows.Due one : due) {
      switch (attempt(one.organizationId, one.id)) {
        case "accepted" -> accepted++;
        case "pending" -> retrying++;
        case "expired" -> expired++;
        case "unknown" -> unknown++;
        default -> { } // taken by another job meanwhile
      }
    }
    return new MeterReport(accepted, retrying, expired, unknown);
  }

  /** The event's status after this attempt, or "" if another job had it. */
  private String attempt(UUID organizationId, UUID id) {
    UsageRows.MeterEvent event = TenantWork.call(crm.tenant(organizationId).asSystem(UsageRecording.ACTOR),
        tx -> tx.mapper(UsageMapper.class).claimMeterEvent(organizationId, id, tx.now(), tx.now().plus(LEASE)));
    if (event == null) {
      return "";
    }
    Instant now = crm.clock().instant();
    if (event.occurredAt.isBefore(now.minus(WINDOW))) {
      log.warn("meter event {} of organization {} ({} {}) is older than Stripe's 35-day window and was never accepted;"
          + " it is not reported", event.identifier(), organizationId, event.value, event.metric);
      return settle(organizationId, event, "expired", false, event.maybeSentAt, null, null);
    }
    if (event.maybeSentAt != null && event.maybeSentAt.isBefore(now.minus(DEDUPLICATED))) {
      log.error("meter event {} of organization {} ({} {}) may have reached Stripe on {} and Stripe may no longer"
          + " recognize a retry; it is not sent again: look for it in Stripe's dashboard", event.identifier(),
          organizationId, event.value, event.metric, event.maybeSentAt);
      return settle(organizationId, event, "unknown", false, event.maybeSentAt, null, null);
    }
    try {
      stripe.meterEvent(event.identifier(), event.eventName, event.stripeCustomerId, event.value, event.occurredAt);
      return settle(organizationId, event, "accepted", true, event.maybeSentAt, null, null);
    } catch (StripeException e) {
      boolean maybeSent = mayHaveArrived(e);
      Instant maybeSentAt = event.maybeSentAt != null ? event.maybeSentAt : maybeSent ? now : null;
      Duration wait = Duration.ofMinutes(1L << Math.min(event.attempts, 6));
      Instant next = crm.clock().instant().plus(wait.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : wait);
      log.warn("meter event {} of organization {}: Stripe failed ({}), tried again after {}", event.identifier(),
          organizationId, e.getMessage(), next);
      return settle(organizationId, event, "pending", true, maybeSentAt, next, String.valueOf(e.getMessage()));
    }
  }

  private String settle(UUID organizationId, UsageRows.MeterEvent event, String status, boolean attempted,
      Instant maybeSentAt, Instant next, String error) {
    TenantWork.call(crm.tenant(organizationId).asSystem(UsageRecording.ACTOR), tx -> tx.mapper(UsageMapper.class)
        .settleMeterEvent(organizationId, event.id, status, attempted, maybeSentAt, next, error, tx.now()));
    return status;
  }

  /**
   * Whether Stripe may have recorded the attempt: not when it answered with a refusal (4xx,
   * 429 included: Stripe records nothing it refuses) or the connection was never made; yes for a
   * 5xx, a 409 (the same key in flight) or a connection lost after the request went out.
   */
  static boolean mayHaveArrived(StripeException e) {
    if (e instanceof ApiConnectionException) {
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        if (cause instanceof ConnectException || cause instanceof UnknownHostException
            || cause instanceof NoRouteToHostException) {
          return false;
        }
      }
      return true;
    }
    if (e instanceof RateLimitException) {
      return false;
    }
    Integer status = e.getStatusCode();
    return status == null || status >= 500 || status == 409;
  }
}
