package io.crmkit.core.internal;

import io.crmkit.core.exception.LimitExceededException;
import io.crmkit.core.platform.Limit;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Race-free usage counting for limits that grow large (customers, messages per day, tickets per
 * month), in the usage_counters table instead of {@code count(*)}. A unit is taken before what
 * it counts is created, in the same transaction, so a rollback gives it back; modules reach this
 * through {@code TenantTransaction.takeWithinLimit} and {@code giveBack}.
 *
 * <pre>{@code
 * LocalDate day = UsageCounters.day(org.timeZone(), tx.now());
 * UsageCounters.takeWithinLimit(tx, "messages_sent", day, 1, Limit.MESSAGES_PER_DAY);
 * }</pre>
 */
final class UsageCounters {
  /** The period of running totals (customers): one row per organization and metric. */
  static final LocalDate RUNNING_TOTAL = LocalDate.EPOCH;

  private UsageCounters() {}

  /**
   * Adds {@code amount} to the counter unless the result would pass {@code limit} (empty: no limit).
   * Concurrent callers serialize on the counter row, so the limit holds exactly.
   *
   * @return true if added, false if the limit would have been passed (nothing changed)
   */
  static boolean tryAdd(Tx tx, String metric, LocalDate period, long amount, OptionalLong limit) {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(period, "period");
    if (amount <= 0) {
      throw new IllegalArgumentException("amount must be positive, was " + amount);
    }
    Long max = limit.isPresent() ? limit.getAsLong() : null;
    return tx.mapper(UsageCounterMapper.class).increment(tx.organizationId(), metric, period, amount, max) != null;
  }

  /**
   * Adds {@code amount} to the counter within {@code limit} as the organization's plan and custom
   * limits give it, read in the same statement (one round trip instead of two).
   *
   * @throws LimitExceededException if the result would pass the limit (nothing changed)
   * @throws io.crmkit.core.exception.CrmException if the plan catalog has no value for the limit
   */
  static void takeWithinLimit(Tx tx, String metric, LocalDate period, long amount, Limit limit) {
    Objects.requireNonNull(limit, "limit");
    if (amount <= 0) {
      throw new IllegalArgumentException("amount must be positive, was " + amount);
    }
    if (tx.mapper(UsageCounterMapper.class).incrementWithinLimit(tx.organizationId(), metric, period, amount,
        limit.column()) != null) {
      return;
    }
    // Refused, or the limit is missing: read the limits to say which (a missing one throws).
    EffectiveLimits limits = EffectiveLimits.read(tx);
    OptionalLong max = limits.get(limit);
    if (!tryAdd(tx, metric, period, amount, max)) {
      throw new LimitExceededException(limit, max.getAsLong(), limits.planSlug());
    }
  }

  /** Gives back {@code amount} (when what was counted is deleted); never below zero. */
  static void release(Tx tx, String metric, LocalDate period, long amount) {
    tx.mapper(UsageCounterMapper.class).release(tx.organizationId(), metric, period, amount);
  }

  /** The counter's value, 0 if nothing was counted yet. */
  static long value(Tx tx, String metric, LocalDate period) {
    Long value = tx.mapper(UsageCounterMapper.class).value(tx.organizationId(), metric, period);
    return value == null ? 0 : value;
  }

  /** The day {@code instant} falls on in the organization's zone: the period of daily limits. */
  static LocalDate day(ZoneId zone, Instant instant) {
    return instant.atZone(zone).toLocalDate();
  }

  /** The first day of the month {@code instant} falls in, in the organization's zone: the period of monthly limits. */
  static LocalDate month(ZoneId zone, Instant instant) {
    return day(zone, instant).withDayOfMonth(1);
  }
}
