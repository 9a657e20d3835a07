package io.crmkit.billing;

import java.util.Optional;

/**
 * A payment method attached to the organization's Stripe customer.
 *
 * @param stripePaymentMethodId Stripe's id ({@code pm_…})
 * @param type {@code card}, {@code sepa_debit} and the like
 * @param cardBrand a card's brand ({@code visa}, {@code mada}…)
 * @param cardLast4 a card's last four digits
 * @param cardExpMonth a card's expiry month, 1 to 12
 * @param cardExpYear a card's expiry year
 * @param isDefault whether it is the customer's default for invoices
 */
public record PaymentMethod(String stripePaymentMethodId, String type, Optional<String> cardBrand,
    Optional<String> cardLast4, Optional<Integer> cardExpMonth, Optional<Integer> cardExpYear, boolean isDefault) {}
