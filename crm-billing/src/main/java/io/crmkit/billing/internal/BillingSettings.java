package io.crmkit.billing.internal;

import io.crmkit.billing.UsageMetric;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * What {@link io.crmkit.billing.BillingModule.Builder} sets; its text shows no secret.
 *
 * @param secretKey the Stripe secret key
 * @param webhookSecret the webhook's signing secret, or null
 * @param apiBase where Stripe's API is
 * @param gracePeriod how long a past-due subscription keeps its plan
 * @param fallbackPlan the plan an organization falls back to
 * @param meters the Stripe meter event name of each metered metric
 */
public record BillingSettings(String secretKey, String webhookSecret, URI apiBase, Duration gracePeriod,
    String fallbackPlan, Map<UsageMetric, String> meters) {
  @Override
  public String toString() {
    return "BillingSettings[secretKey=" + secretKey.substring(0, secretKey.indexOf('_', 3) + 1) + "…, webhookSecret="
        + (webhookSecret == null ? "none" : "set") + ", apiBase=" + apiBase + ", gracePeriod=" + gracePeriod
        + ", fallbackPlan=" + fallbackPlan + ", meters=" + meters + "]";
  }
}
