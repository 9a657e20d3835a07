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
  /** Payments failed and retries ran out. */
  UNPAID,
  /** Paused by the platform. */
  PAUSED
}
