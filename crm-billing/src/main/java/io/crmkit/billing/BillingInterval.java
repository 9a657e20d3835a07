package io.crmkit.billing;

import java.util.Locale;

/** How often a subscription is billed: the plan's monthly or yearly Stripe price. */
public enum BillingInterval {
  /** The plan's {@code stripe_price_id_monthly}. */
  MONTHLY,
  /** The plan's {@code stripe_price_id_yearly}. */
  YEARLY;

  /** The name as stored: {@code monthly} or {@code yearly}. */
  public String databaseName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
