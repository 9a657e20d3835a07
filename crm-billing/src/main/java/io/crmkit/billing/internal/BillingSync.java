package io.crmkit.billing.internal;

import io.crmkit.core.Crm;
import io.crmkit.core.platform.Organization;
import io.crmkit.core.platform.SubscriptionStatus;
import io.crmkit.core.spi.TenantWork;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings an organization's plan and subscription status in line with its latest subscription, by
 * {@link BillingPolicy}, through the platform's {@code changeSubscription}: so crm-core's limits,
 * which every module takes, follow what the organization pays for. Idempotent: run after every
 * subscription event (a replay too) and by the grace-period job.
 */
final class BillingSync {
  private static final Logger log = LoggerFactory.getLogger(BillingSync.class);
  private final Crm crm;
  private final Duration grace;
  private final String fallback;

  BillingSync(Crm crm, Duration grace, String fallback) {
    this.crm = crm;
    this.grace = grace;
    this.fallback = fallback;
  }

  /**
   * Whether it changed the organization's plan or status. After a change it looks again, so two
   * syncs of one organization at once (Stripe delivers concurrently) end on the latest state,
   * whichever wrote last.
   */
  boolean sync(UUID organizationId) {
    boolean changed = false;
    for (int pass = 0; pass < 3 && syncOnce(organizationId); pass++) {
      changed = true;
    }
    return changed;
  }

  private boolean syncOnce(UUID organizationId) {
    Target target = TenantWork.call(crm.tenant(organizationId).asSystem(SqlStripeWebhook.ACTOR), tx -> {
      BillingRows.SubscriptionRow latest = tx.mapper(BillingMapper.class).latestSubscription(organizationId);
      if (latest == null) {
        return null;
      }
      Organization organization = tx.scope().organization().get();
      SubscriptionStatus status = SubscriptionStatus.of(latest.status);
      String plan = BillingPolicy.plan(status, Optional.ofNullable(latest.planSlug),
          Optional.ofNullable(latest.pastDueSince), tx.now(), grace, fallback).orElse(organization.planSlug());
      return plan.equals(organization.planSlug()) && status == organization.status() ? null
          : new Target(plan, status);
    });
    if (target == null) {
      return false;
    }
    crm.platform().changeSubscription(organizationId, target.plan(), target.status());
    log.info("organization {} is now on plan {} ({})", organizationId, target.plan(), target.status().databaseName());
    return true;
  }

  /** The grace periods that ended by now, up to {@code max} organizations moved to the fallback plan. */
  int endGracePeriods(int max) {
    java.util.List<UUID> ended = TenantWork.crossTenant(crm,
        tx -> tx.mapper(BillingMapper.class).graceEnded(tx.now().minus(grace), fallback, max));
    int moved = 0;
    for (UUID organizationId : ended) {
      moved += sync(organizationId) ? 1 : 0;
    }
    return moved;
  }

  /**
   * Trials that ended without a subscription, up to {@code max} organizations moved to the fallback
   * plan as {@code canceled}. Each is checked again in its tenant first, and synced after, so a
   * subscription that arrived meanwhile wins.
   */
  int endTrials(int max) {
    java.util.List<UUID> ended = TenantWork.crossTenant(crm,
        tx -> tx.mapper(BillingMapper.class).trialsEnded(tx.now(), fallback, max));
    int moved = 0;
    for (UUID organizationId : ended) {
      boolean still = TenantWork.call(crm.tenant(organizationId).asSystem(SqlStripeWebhook.ACTOR), tx -> {
        Organization organization = tx.scope().organization().get();
        return tx.mapper(BillingMapper.class).latestSubscription(organizationId) == null
            && organization.status() == SubscriptionStatus.TRIALING && !organization.planSlug().equals(fallback)
            && organization.trialEndsAt().map(end -> !end.isAfter(tx.now())).orElse(false);
      });
      if (still) {
        crm.platform().changeSubscription(organizationId, fallback, SubscriptionStatus.CANCELED);
        log.info("organization {}: its trial ended without a subscription; now on plan {}", organizationId, fallback);
        sync(organizationId);
        moved++;
      }
    }
    return moved;
  }

  private record Target(String plan, SubscriptionStatus status) {}
}
