package io.crmkit.core.platform;

/** The state of an organization's subscription, as Stripe names it. */
public enum SubscriptionStatus {
  /** In the free trial. */
  TRIALING,
  /** Paid and current. */
  ACTIVE,
  /** A payment failed; still served. */
  PAST_DUE,
  /** Ended. */
  CANCELED,
  /** The first payment has not completed. */
  INCOMPLETE,
  /** The first payment never completed; the subscription is over. */
  INCOMPLETE_EXPIRED,
  /** Payments failed and retries ran out. */
  UNPAID,
  /** Paused: a trial ended without a payment method, or paused by the platform. */
  PAUSED;

  /** The name as Stripe and the database write it, e.g. {@code past_due}. */
  public String databaseName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The status of Stripe's (or the database's) name.
   *
   * @throws IllegalArgumentException for a name that is none of them
   */
  public static SubscriptionStatus of(String name) {
    return valueOf(name.toUpperCase(java.util.Locale.ROOT));
  }
}
