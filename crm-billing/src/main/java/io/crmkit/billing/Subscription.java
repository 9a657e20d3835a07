package io.crmkit.billing;

import io.crmkit.core.platform.SubscriptionStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * An organization's Stripe subscription, as the latest Stripe event told it.
 *
 * @param stripeSubscriptionId Stripe's id ({@code sub_…})
 * @param planSlug the plan of the catalog whose price it is, if the price is one of the catalog's
 * @param interval monthly or yearly, when the price is one of the catalog's
 * @param status Stripe's status (crm-core's {@link SubscriptionStatus}, which the organization mirrors)
 * @param amountMinor the price in minor units (cents, halalas), if known
 * @param currency the price's currency, ISO 4217 upper case, if known
 * @param currentPeriodEnd when the current period ends (renews, or ends if canceled at its end)
 * @param cancelAtPeriodEnd whether it ends at the period's end
 * @param updatedAt when Stripe's event that wrote this state was created
 */
public record Subscription(String stripeSubscriptionId, Optional<String> planSlug, Optional<BillingInterval> interval,
    SubscriptionStatus status, Optional<Long> amountMinor, Optional<String> currency,
    Optional<Instant> currentPeriodEnd, boolean cancelAtPeriodEnd, Instant updatedAt) {}
