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
  /**
   * How long a claimed event is left alone by other jobs: longer than an attempt, which makes one
   * request (no retries by stripe-java) within {@link StripeGateway}'s meter timeouts.
   */
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
      String status;
      try {
        status = attempt(one.organizationId, one.id);
      } catch (RuntimeException e) {
        // The claim (or the settling) failed: the event stays pending, claimed, and is tried again
        // after its lease, counted as possibly sent.
        log.warn("meter event {} of organization {}: the attempt failed; tried again later", one.id,
            one.organizationId, e);
        status = "pending";
      }
      switch (status) {
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
    Instant claimedAt = crm.clock().instant();
    Instant lease = claimedAt.plus(LEASE);
    UsageRows.MeterEvent event = TenantWork.call(crm.tenant(organizationId).asSystem(UsageRecording.ACTOR),
        tx -> tx.mapper(UsageMapper.class).claimMeterEvent(organizationId, id, claimedAt, lease));
    if (event == null) {
      return "";
    }
    Claim claim = new Claim(organizationId, event, lease);
    if (event.occurredAt.isBefore(claimedAt.minus(WINDOW))) {
      log.warn("meter event {} of organization {} ({} {}) is older than Stripe's 35-day window and was never accepted;"
          + " it is not reported", event.identifier(), organizationId, event.value, event.metric);
      return settle(claim, "expired", false, null, null, null);
    }
    if (event.maybeSentAt != null && event.maybeSentAt.isBefore(claimedAt.minus(DEDUPLICATED))) {
      log.error("meter event {} of organization {} ({} {}) may have reached Stripe on {} and Stripe may no longer"
          + " recognize a retry; it is not sent again: look for it in Stripe's dashboard", event.identifier(),
          organizationId, event.value, event.metric, event.maybeSentAt);
      return settle(claim, "unknown", false, null, null, null);
    }
    try {
      stripe.meterEvent(event.identifier(), event.eventName, event.stripeCustomerId, event.value, event.occurredAt);
      return settle(claim, "accepted", true, null, null, null);
    } catch (StripeException e) {
      Instant maybeSentAt = mayHaveArrived(e) ? claimedAt : null;
      Duration wait = Duration.ofMinutes(1L << Math.min(event.attempts, 6));
      Instant next = crm.clock().instant().plus(wait.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : wait);
      log.warn("meter event {} of organization {}: Stripe failed ({}), tried again after {}", event.identifier(),
          organizationId, e.getMessage(), next);
      return settle(claim, "pending", true, maybeSentAt, next, String.valueOf(e.getMessage()));
    }
  }

  private String settle(Claim claim, String status, boolean attempted, Instant maybeSentAt, Instant next,
      String error) {
    int settled = TenantWork.call(crm.tenant(claim.organizationId()).asSystem(UsageRecording.ACTOR),
        tx -> tx.mapper(UsageMapper.class).settleMeterEvent(claim.organizationId(), claim.event().id, claim.lease(),
            status, attempted, maybeSentAt, next, error, tx.now()));
    if (settled == 0) {
      log.warn("meter event {} of organization {}: its claim ended before the attempt did; the claim that took it"
          + " over settles it", claim.event().identifier(), claim.organizationId());
      return "";
    }
    return status;
  }

  private record Claim(UUID organizationId, UsageRows.MeterEvent event, Instant lease) {}

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
