package io.crmkit.billing.internal;

import io.crmkit.billing.UsageMetric;
import io.crmkit.core.Crm;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code BillingJobs.recordUsage}: each organization in its own transaction, under its recording
 * lock, adds what core's counters grew by to its current billing period, keeps the levels' highest
 * value, and queues what metered metrics grew by above what was reported as meter events, all in
 * one commit; so each unit of usage is recorded once, whatever crashes or runs twice. Counters are
 * read 62 days back: usage of an organization not recorded for longer is lost.
 */
final class UsageRecording {
  /** How far back counters are read: their periods (days, months) end long before. */
  private static final int DAYS_READ = 62;
  /** An organization recorded more recently than this is skipped by the next call. */
  private static final Duration AGAIN_AFTER = Duration.ofMinutes(1);
  private static final Set<String> RUNNING = Set.of("trialing", "active", "past_due");
  static final String ACTOR = "billing-usage";
  private static final Logger log = LoggerFactory.getLogger(UsageRecording.class);
  private final Crm crm;
  private final Map<UsageMetric, String> meters;

  UsageRecording(Crm crm, Map<UsageMetric, String> meters) {
    this.crm = crm;
    this.meters = meters;
  }

  /** Records up to {@code max} organizations due; how many it recorded. */
  int record(int max) {
    List<UUID> due = TenantWork.crossTenant(crm,
        tx -> tx.mapper(UsageMapper.class).usageDue(tx.now().minus(AGAIN_AFTER), max));
    int recorded = 0;
    for (UUID organizationId : due) {
      try {
        recorded += TenantWork.call(crm.tenant(organizationId).asSystem(ACTOR), this::recordOne) ? 1 : 0;
      } catch (RuntimeException e) {
        // Nothing of it was recorded (one transaction); the others go on, and it is due again.
        log.warn("recording the usage of organization {} failed; it is tried again by the next run", organizationId, e);
      }
    }
    return recorded;
  }

  private boolean recordOne(TenantTransaction tx) {
    UsageMapper usage = tx.mapper(UsageMapper.class);
    UUID organizationId = tx.organizationId();
    Instant now = tx.now();
    Boolean first = usage.startRun(organizationId, now, now.minus(AGAIN_AFTER));
    if (first == null) {
      return false;
    }
    ZoneId zone = tx.scope().organization().get().timeZone();
    Period period = period(tx, zone);
    LocalDate since = now.atZone(zone).toLocalDate().minusDays(DAYS_READ);
    LocalDate countFrom = first ? period.start().atZone(zone).toLocalDate() : since;
    List<UsageRows.Amount> grown = usage.takeGrowth(organizationId, since, countFrom);
    usage.forgetMarks(organizationId, since);
    String customer = meters.isEmpty() ? null : tx.mapper(BillingMapper.class).customerOf(organizationId);
    for (UsageMetric metric : UsageMetric.values()) {
      if (metric.counted()) {
        usage.addUsage(organizationId, metric.databaseName(), period.start(), period.end(), amount(grown, metric),
            true, now);
        String eventName = meters.get(metric);
        if (eventName != null && customer != null) {
          Long growth = usage.meterGrowth(organizationId, metric.databaseName(), period.start());
          if (growth != null) {
            usage.queueMeterEvent(organizationId, metric.databaseName(), eventName, customer, growth, now);
          }
        }
      }
    }
    for (UsageRows.Amount level : usage.levels(organizationId)) {
      usage.addUsage(organizationId, level.metric, period.start(), period.end(), level.amount, false, now);
    }
    return true;
  }

  private static long amount(List<UsageRows.Amount> amounts, UsageMetric metric) {
    return amounts.stream().filter(a -> a.metric.equals(metric.databaseName())).mapToLong(a -> a.amount).sum();
  }

  /**
   * The running subscription's current period, rolled forward by its interval while its renewal's
   * event is late; else (no running subscription) the calendar month in the organization's zone.
   */
  private static Period period(TenantTransaction tx, ZoneId zone) {
    Instant now = tx.now();
    BillingRows.SubscriptionRow latest = tx.mapper(BillingMapper.class).latestSubscription(tx.organizationId());
    if (latest != null && RUNNING.contains(latest.status.toLowerCase(Locale.ROOT)) && latest.currentPeriodStart != null
        && latest.currentPeriodEnd != null && latest.currentPeriodEnd.isAfter(latest.currentPeriodStart)) {
      ZonedDateTime start = latest.currentPeriodStart.atZone(ZoneOffset.UTC);
      ZonedDateTime end = latest.currentPeriodEnd.atZone(ZoneOffset.UTC);
      for (int renewals = 1; !now.isBefore(end.toInstant()) && renewals <= 1000; renewals++) {
        ZonedDateTime next = "yearly".equals(latest.billingInterval)
            ? latest.currentPeriodEnd.atZone(ZoneOffset.UTC).plusYears(renewals)
            : "monthly".equals(latest.billingInterval)
                ? latest.currentPeriodEnd.atZone(ZoneOffset.UTC).plusMonths(renewals)
                : end.plus(Duration.between(start, end));
        start = end;
        end = next;
      }
      return new Period(start.toInstant(), end.toInstant());
    }
    ZonedDateTime month = now.atZone(zone).toLocalDate().withDayOfMonth(1).atStartOfDay(zone);
    return new Period(month.toInstant(), month.plusMonths(1).toInstant());
  }

  private record Period(Instant start, Instant end) {}
}
