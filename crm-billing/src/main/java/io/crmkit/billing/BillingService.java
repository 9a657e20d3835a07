package io.crmkit.billing;

import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.ForbiddenException;
import io.crmkit.core.exception.ValidationException;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * An organization's billing, reached from a scope: {@code scope.service(BillingService.class)}.
 * Admins start a subscription and open the portal; every member reads the subscription, invoices
 * and payment methods, mirrored from Stripe's webhook.
 *
 * <pre>{@code
 * BillingService billing = acme.service(BillingService.class);
 * URI pay = billing.checkout("professional", BillingInterval.MONTHLY, successUrl, cancelUrl);
 * // send the admin's browser to pay; Stripe's webhook then tells the subscription
 * }</pre>
 *
 * <p>The organization's Stripe customer is made once, with the organization's id in its metadata,
 * at its first checkout or portal session.
 */
public interface BillingService {

  /**
   * A Stripe Checkout session for a subscription to {@code planSlug}'s monthly or yearly price;
   * where to send the admin's browser.
   *
   * @throws ValidationException for a plan the catalog does not have, one without a Stripe price
   *     for {@code interval}, or URLs that are not absolute http(s)
   * @throws ForbiddenException unless the actor is an admin
   * @throws BillingException if Stripe refuses or cannot be reached (nothing is stored but the
   *     customer, if Stripe made it)
   */
  URI checkout(String planSlug, BillingInterval interval, URI successUrl, URI cancelUrl);

  /**
   * A Stripe billing portal session, where the admin changes the plan or the card, cancels or
   * resumes; where to send the browser.
   *
   * @throws ValidationException for a return URL that is not absolute http(s)
   * @throws ForbiddenException unless the actor is an admin
   * @throws BillingException if Stripe refuses or cannot be reached
   */
  URI portal(URI returnUrl);

  /**
   * Moves the organization's subscription to {@code planSlug}'s price for {@code interval}, with
   * Stripe's prorations. The organization's plan follows when Stripe's event arrives.
   *
   * @throws ValidationException for a plan one cannot subscribe to, or without a price for the interval
   * @throws ConflictException if the organization has no subscription that is trialing, active or past due
   * @throws ForbiddenException unless the actor is an admin
   * @throws BillingException if Stripe refuses or cannot be reached
   */
  void changePlan(String planSlug, BillingInterval interval);

  /**
   * Ends the subscription at the end of its period ({@code true}), or keeps it going after all
   * ({@code false}: resume). The mirror follows when Stripe's event arrives.
   *
   * @throws ConflictException if the organization has no subscription that is trialing, active or past due
   * @throws ForbiddenException unless the actor is an admin
   * @throws BillingException if Stripe refuses or cannot be reached
   */
  void cancelAtPeriodEnd(boolean cancel);

  /** The organization's latest subscription (the one updated last), if it has one. */
  Optional<Subscription> subscription();

  /** The organization's invoices, newest first, at most {@code limit} (1 to 100). */
  List<Invoice> invoices(int limit);

  /** The payment methods attached to the organization's customer (not those detached since). */
  List<PaymentMethod> paymentMethods();

  /**
   * The organization's usage in its latest {@code periods} billing periods (1 to 24), newest period
   * first, one record per metric recorded, as {@link BillingJobs#recordUsage} last recorded it.
   *
   * @throws ValidationException for a count out of range
   */
  List<UsageRecord> usage(int periods);
}
