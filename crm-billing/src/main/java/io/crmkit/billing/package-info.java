/**
 * crm-billing: Stripe subscriptions for each organization. A tenant's admin starts a subscription
 * through Stripe Checkout and manages it in the billing portal ({@link io.crmkit.billing.BillingService},
 * reached from the scope); Stripe's signed webhook ({@link io.crmkit.billing.StripeWebhook}, reached
 * from the Crm) mirrors its subscriptions, invoices and payment methods. The module is
 * {@link io.crmkit.billing.BillingModule}, configured with the host's Stripe keys.
 */
package io.crmkit.billing;
