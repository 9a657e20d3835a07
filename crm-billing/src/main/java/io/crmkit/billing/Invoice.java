package io.crmkit.billing;

import java.time.Instant;
import java.util.Optional;

/**
 * An invoice of the organization, mirrored from Stripe.
 *
 * @param stripeInvoiceId Stripe's id ({@code in_…})
 * @param number its number, unique within the organization, once finalized
 * @param status {@code draft}, {@code open}, {@code paid}, {@code void} or {@code uncollectible}
 * @param currency ISO 4217, upper case
 * @param totalMinor the total in minor units
 * @param amountDueMinor what is due, in minor units
 * @param amountPaidMinor what was paid, in minor units
 * @param hostedInvoiceUrl Stripe's page of the invoice, once finalized
 * @param invoicePdfUrl its PDF, once finalized
 * @param issuedAt when it was created
 * @param paidAt when it was paid
 */
public record Invoice(String stripeInvoiceId, Optional<String> number, String status, String currency,
    long totalMinor, long amountDueMinor, long amountPaidMinor, Optional<String> hostedInvoiceUrl,
    Optional<String> invoicePdfUrl, Instant issuedAt, Optional<Instant> paidAt) {}
