package io.crmkit.billing.internal;

import io.crmkit.billing.BillingInterval;
import io.crmkit.billing.Invoice;
import io.crmkit.billing.PaymentMethod;
import io.crmkit.billing.Subscription;
import io.crmkit.core.platform.SubscriptionStatus;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** Rows of the billing statements, filled by column name, and the public records made of them. */
final class BillingRows {
  private BillingRows() {}

  /** A plan's Stripe price, or a price's plan. */
  static class Price {
    String slug;
    String priceId;
    String billingInterval;
  }

  /** A subscription as stored, and as an event gives it. */
  static class SubscriptionRow {
    String stripeSubscriptionId;
    String stripePriceId;
    String stripeItemId;
    String planSlug;
    String billingInterval;
    String status;
    Long amountMinor;
    String currency;
    Instant currentPeriodStart;
    Instant currentPeriodEnd;
    Instant trialEnd;
    boolean cancelAtPeriodEnd;
    Instant canceledAt;
    Instant endedAt;
    Instant pastDueSince;
    Instant eventAt;

    Subscription toSubscription() {
      return new Subscription(stripeSubscriptionId, Optional.ofNullable(planSlug),
          Optional.ofNullable(billingInterval).map(i -> BillingInterval.valueOf(i.toUpperCase(Locale.ROOT))),
          SubscriptionStatus.of(status), Optional.ofNullable(amountMinor), Optional.ofNullable(currency),
          Optional.ofNullable(currentPeriodEnd), cancelAtPeriodEnd, eventAt);
    }
  }

  /** An invoice as stored, and as an event gives it. */
  static class InvoiceRow {
    String stripeInvoiceId;
    String stripeSubscriptionId;
    String number;
    String status;
    String currency;
    long subtotalMinor;
    long taxMinor;
    long totalMinor;
    long amountDueMinor;
    long amountPaidMinor;
    String hostedInvoiceUrl;
    String invoicePdfUrl;
    Instant periodStart;
    Instant periodEnd;
    Instant issuedAt;
    Instant dueAt;
    Instant paidAt;
    Instant eventAt;

    Invoice toInvoice() {
      return new Invoice(stripeInvoiceId, Optional.ofNullable(number), status, currency, totalMinor, amountDueMinor,
          amountPaidMinor, Optional.ofNullable(hostedInvoiceUrl), Optional.ofNullable(invoicePdfUrl), issuedAt,
          Optional.ofNullable(paidAt));
    }
  }

  /** A payment method as stored, and as an event gives it. */
  static class PaymentMethodRow {
    String stripePaymentMethodId;
    String type;
    String cardBrand;
    String cardLast4;
    Integer cardExpMonth;
    Integer cardExpYear;
    boolean isDefault;
    Instant detachedAt;
    Instant eventAt;

    PaymentMethod toPaymentMethod() {
      return new PaymentMethod(stripePaymentMethodId, type, Optional.ofNullable(cardBrand),
          Optional.ofNullable(cardLast4), Optional.ofNullable(cardExpMonth), Optional.ofNullable(cardExpYear),
          isDefault);
    }
  }
}
