package io.crmkit.billing.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.Stripe;
import io.crmkit.core.spi.TenantTransaction;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One verified Stripe event, applied in its organization's transaction: stored once, then its
 * object mirrored unless a newer event's state is kept. Objects are read from the event's JSON
 * field by field, the fields of both the current API release and earlier ones, so an event of
 * another release is read too (with a warning) instead of being dropped.
 */
final class StripeEvents {
  private static final Logger log = LoggerFactory.getLogger(StripeEvents.class);

  private StripeEvents() {}

  /** The Stripe customer an event is about: its object's, or the object itself for customer events. */
  static Optional<String> customerOf(JsonNode event) {
    JsonNode object = event.path("data").path("object");
    String customer = text(object, "customer");
    if (customer == null && "customer".equals(text(object, "object"))) {
      customer = text(object, "id");
    }
    if (customer == null) {
      // A detached payment method has no customer any more; its previous one is in the event.
      customer = text(event.path("data").path("previous_attributes"), "customer");
    }
    return Optional.ofNullable(customer).filter(c -> c.matches("cus_[A-Za-z0-9]{1,250}"));
  }

  /**
   * Applies {@code event} in {@code tx}, its organization's transaction.
   *
   * @return false for a replay (changes nothing), else true
   */
  static boolean apply(TenantTransaction tx, JsonNode event) {
    BillingMapper billing = tx.mapper(BillingMapper.class);
    String type = event.path("type").asText();
    JsonNode object = event.path("data").path("object");
    Instant created = Instant.ofEpochSecond(event.path("created").asLong());
    String apiVersion = text(event, "api_version");
    UUID row = billing.recordEvent(tx.organizationId(), event.path("id").asText(), type, apiVersion,
        text(object, "id"), created, tx.now());
    if (row == null) {
      return false;
    }
    if (apiVersion != null && !apiVersion.equals(Stripe.API_VERSION)) {
      log.warn("Stripe event {} is of API release {}, not {}: read leniently; set the webhook endpoint's version",
          event.path("id").asText(), apiVersion, Stripe.API_VERSION);
    }
    String outcome = switch (type) {
      case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
          "customer.subscription.paused", "customer.subscription.resumed",
          "customer.subscription.trial_will_end" ->
          applied(billing.upsertSubscription(tx.organizationId(), subscription(billing, object, created)));
      case "invoice.created", "invoice.finalized", "invoice.paid", "invoice.payment_failed", "invoice.voided",
          "invoice.marked_uncollectible", "invoice.updated" ->
          applied(billing.upsertInvoice(tx.organizationId(), invoice(object, created)));
      case "payment_method.attached" -> method(billing, tx.organizationId(), paymentMethod(object, null, created));
      case "payment_method.detached" -> method(billing, tx.organizationId(), paymentMethod(object, created, created));
      case "customer.updated" -> defaultPaymentMethod(billing, tx.organizationId(), object, created);
      // The session's subscription is told by its own events; the session itself changes nothing.
      case "checkout.session.completed" -> "applied";
      default -> "ignored";
    };
    billing.setOutcome(tx.organizationId(), row, outcome);
    return true;
  }

  private static String applied(UUID row) {
    return row == null ? "stale" : "applied";
  }

  private static String method(BillingMapper billing, UUID organizationId, BillingRows.PaymentMethodRow row) {
    String outcome = applied(billing.upsertPaymentMethod(organizationId, row));
    billing.markDefault(organizationId);
    return outcome;
  }

  /** customer.updated: the default method for invoices (none when Stripe sends null), kept on the customer. */
  private static String defaultPaymentMethod(BillingMapper billing, UUID organizationId, JsonNode customer,
      Instant created) {
    JsonNode settings = customer.path("invoice_settings");
    if (!settings.has("default_payment_method")) {
      return "ignored";
    }
    if (billing.setDefaultPaymentMethod(organizationId, text(settings, "default_payment_method"), created) == 0) {
      return "stale";
    }
    billing.markDefault(organizationId);
    return "applied";
  }

  private static BillingRows.SubscriptionRow subscription(BillingMapper billing, JsonNode object, Instant created) {
    BillingRows.SubscriptionRow row = new BillingRows.SubscriptionRow();
    JsonNode item = object.path("items").path("data").path(0);
    JsonNode price = item.path("price");
    row.stripeSubscriptionId = text(object, "id");
    row.stripePriceId = text(price, "id");
    row.stripeItemId = text(item, "id");
    row.status = text(object, "status");
    row.amountMinor = price.path("unit_amount").isNumber() ? price.path("unit_amount").asLong() : null;
    row.currency = Optional.ofNullable(text(price, "currency")).map(c -> c.toUpperCase(Locale.ROOT)).orElse(null);
    // Since the 2025-03-31 release the period is the item's; before, the subscription's.
    row.currentPeriodStart = time(item, "current_period_start").or(() -> time(object, "current_period_start"))
        .orElse(null);
    row.currentPeriodEnd = time(item, "current_period_end").or(() -> time(object, "current_period_end"))
        .orElse(null);
    row.trialEnd = time(object, "trial_end").orElse(null);
    row.cancelAtPeriodEnd = object.path("cancel_at_period_end").asBoolean(false);
    row.canceledAt = time(object, "canceled_at").orElse(null);
    row.endedAt = time(object, "ended_at").orElse(null);
    row.eventAt = created;
    if (row.stripePriceId != null) {
      BillingRows.Price plan = billing.planOfPrice(row.stripePriceId);
      if (plan != null) {
        row.planSlug = plan.slug;
        row.billingInterval = plan.billingInterval;
      }
    }
    return row;
  }

  private static BillingRows.InvoiceRow invoice(JsonNode object, Instant created) {
    BillingRows.InvoiceRow row = new BillingRows.InvoiceRow();
    row.stripeInvoiceId = text(object, "id");
    // Since the 2025-03-31 release an invoice names its subscription under parent.
    row.stripeSubscriptionId = Optional.ofNullable(text(object.path("parent").path("subscription_details"),
        "subscription")).orElse(text(object, "subscription"));
    row.number = text(object, "number");
    row.status = text(object, "status");
    row.currency = Optional.ofNullable(text(object, "currency")).map(c -> c.toUpperCase(Locale.ROOT)).orElse(null);
    row.subtotalMinor = object.path("subtotal").asLong();
    long taxes = 0;
    for (JsonNode tax : object.path("total_taxes")) {
      taxes += tax.path("amount").asLong();
    }
    row.taxMinor = object.has("total_taxes") ? taxes : object.path("tax").asLong(0);
    row.totalMinor = object.path("total").asLong();
    row.amountDueMinor = object.path("amount_due").asLong();
    row.amountPaidMinor = object.path("amount_paid").asLong();
    row.hostedInvoiceUrl = text(object, "hosted_invoice_url");
    row.invoicePdfUrl = text(object, "invoice_pdf");
    row.periodStart = time(object, "period_start").orElse(null);
    row.periodEnd = time(object, "period_end").orElse(null);
    row.issuedAt = time(object, "created").orElse(created);
    row.dueAt = time(object, "due_date").orElse(null);
    row.paidAt = time(object.path("status_transitions"), "paid_at").orElse(null);
    row.eventAt = created;
    return row;
  }

  private static BillingRows.PaymentMethodRow paymentMethod(JsonNode object, Instant detachedAt, Instant created) {
    BillingRows.PaymentMethodRow row = new BillingRows.PaymentMethodRow();
    JsonNode card = object.path("card");
    row.stripePaymentMethodId = text(object, "id");
    row.type = text(object, "type");
    row.cardBrand = text(card, "brand");
    row.cardLast4 = text(card, "last4");
    row.cardExpMonth = card.path("exp_month").isNumber() ? card.path("exp_month").asInt() : null;
    row.cardExpYear = card.path("exp_year").isNumber() ? card.path("exp_year").asInt() : null;
    row.detachedAt = detachedAt;
    row.eventAt = created;
    return row;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
  }

  private static Optional<Instant> time(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isNumber() ? Optional.of(Instant.ofEpochSecond(value.asLong())) : Optional.empty();
  }
}
