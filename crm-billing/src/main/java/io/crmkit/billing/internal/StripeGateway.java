package io.crmkit.billing.internal;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.net.RequestOptions;
import com.stripe.model.Customer;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerSearchParams;
import io.crmkit.billing.BillingException;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module's own {@link StripeClient} (never the global {@code Stripe.apiKey}): the calls billing
 * makes. Each is retried by stripe-java on network failures with an idempotency key, so a
 * retry never makes a second customer or session.
 */
final class StripeGateway {
  /** The metadata key of the organization's id on its Stripe customer. */
  static final String ORGANIZATION_KEY = "crmkit_organization_id";
  private static final Logger log = LoggerFactory.getLogger(StripeGateway.class);
  private final StripeClient client;
  /**
   * Meter events' client: one request per attempt, so the outcome of each is known (stripe-java
   * reports only its last try's failure), and short timeouts, far inside the attempt's lease.
   */
  private final StripeClient meters;

  StripeGateway(BillingSettings settings) {
    String base = settings.apiBase().toString().replaceAll("/+$", "");
    this.client = StripeClient.builder().setApiKey(settings.secretKey()).setApiBase(base).setMaxNetworkRetries(2)
        .build();
    this.meters = StripeClient.builder().setApiKey(settings.secretKey()).setApiBase(base).setMaxNetworkRetries(0)
        .setConnectTimeout(10_000).setReadTimeout(30_000).build();
  }

  /**
   * The organization's Stripe customer: the one Stripe already has with the organization's id in
   * its metadata (made by an earlier call whose answer was never stored, longer ago than Stripe
   * keeps idempotency keys), else a new one.
   */
  String findOrCreateCustomer(UUID organizationId, String name) {
    List<String> found;
    try {
      found = client.v1().customers().search(CustomerSearchParams.builder()
          .setQuery("metadata['" + ORGANIZATION_KEY + "']:'" + organizationId + "'").setLimit(10L).build())
          .getData().stream().map(Customer::getId).toList();
    } catch (StripeException e) {
      // Search is not offered everywhere (and may fail): the idempotency key still covers 24 hours.
      log.warn("searching Stripe for the customer of organization {} failed ({}); making one", organizationId,
          e.getMessage());
      found = List.of();
    }
    if (found.size() > 1) {
      log.warn("Stripe has {} customers of organization {}: {}; using {}", found.size(), organizationId, found,
          found.get(0));
    }
    return found.isEmpty() ? createCustomer(organizationId, name) : found.get(0);
  }

  /**
   * A Stripe customer for the organization; the idempotency key makes two concurrent first calls
   * one customer.
   */
  private String createCustomer(UUID organizationId, String name) {
    try {
      return client.v1().customers().create(CustomerCreateParams.builder().setName(name)
          .putMetadata(ORGANIZATION_KEY, organizationId.toString()).build(),
          // The key holds the name too: Stripe refuses a key reused with other parameters (a rename).
          RequestOptions.builder().setIdempotencyKey("crmkit-customer-" + organizationId + "-"
              + Integer.toHexString(name.hashCode())).build()).getId();
    } catch (StripeException e) {
      throw refused("creating the organization's Stripe customer", e);
    }
  }

  /** A Checkout session subscribing {@code customer} to {@code priceId}. */
  URI checkout(UUID organizationId, String customer, String priceId, URI successUrl, URI cancelUrl) {
    try {
      return URI.create(client.v1().checkout().sessions().create(
          com.stripe.param.checkout.SessionCreateParams.builder()
              .setMode(com.stripe.param.checkout.SessionCreateParams.Mode.SUBSCRIPTION)
              .setCustomer(customer).setClientReferenceId(organizationId.toString())
              .addLineItem(com.stripe.param.checkout.SessionCreateParams.LineItem.builder().setPrice(priceId)
                  .setQuantity(1L).build())
              .setSuccessUrl(successUrl.toString()).setCancelUrl(cancelUrl.toString()).build()).getUrl());
    } catch (StripeException e) {
      throw refused("starting a Checkout session", e);
    }
  }

  /**
   * Swaps the subscription's item to {@code priceId}, with Stripe's prorations; or sets whether it
   * ends at its period's end ({@code priceId} null).
   */
  void update(String subscription, String itemId, String priceId, Boolean cancelAtPeriodEnd) {
    com.stripe.param.SubscriptionUpdateParams.Builder params = com.stripe.param.SubscriptionUpdateParams.builder();
    if (priceId != null) {
      params.addItem(com.stripe.param.SubscriptionUpdateParams.Item.builder().setId(itemId).setPrice(priceId).build())
          .setProrationBehavior(com.stripe.param.SubscriptionUpdateParams.ProrationBehavior.CREATE_PRORATIONS);
    }
    if (cancelAtPeriodEnd != null) {
      params.setCancelAtPeriodEnd(cancelAtPeriodEnd);
    }
    try {
      client.v1().subscriptions().update(subscription, params.build());
    } catch (StripeException e) {
      throw refused("changing the subscription", e);
    }
  }

  /**
   * A billing meter event, one request; {@code identifier} is also the request's idempotency key,
   * so a later attempt within Stripe's 24 hours is recognized as the same event.
   *
   * @throws StripeException as Stripe refused, or could not be reached: the caller decides to retry
   */
  void meterEvent(String identifier, String eventName, String customer, long value, java.time.Instant at)
      throws StripeException {
    meters.v1().billing().meterEvents().create(com.stripe.param.billing.MeterEventCreateParams.builder()
        .setEventName(eventName).setIdentifier(identifier).setTimestamp(at.getEpochSecond())
        .putPayload("stripe_customer_id", customer).putPayload("value", Long.toString(value)).build(),
        RequestOptions.builder().setIdempotencyKey(identifier).build());
  }

  /** A billing portal session of {@code customer}. */
  URI portal(String customer, URI returnUrl) {
    try {
      return URI.create(client.v1().billingPortal().sessions().create(
          com.stripe.param.billingportal.SessionCreateParams.builder().setCustomer(customer)
              .setReturnUrl(returnUrl.toString()).build()).getUrl());
    } catch (StripeException e) {
      throw refused("opening the billing portal", e);
    }
  }

  private static BillingException refused(String what, StripeException e) {
    return new BillingException("Stripe failed " + what + ": " + e.getMessage(), e);
  }
}
