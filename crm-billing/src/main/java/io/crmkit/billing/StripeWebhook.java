package io.crmkit.billing;

/**
 * Stripe's webhook, framework-free, a service across tenants: the host mounts it at its own
 * endpoint, passes the raw body and the {@code Stripe-Signature} header, and answers with the
 * returned status. Needs {@code webhookSecret(…)} in {@link BillingModule.Builder}.
 *
 * <pre>{@code
 * StripeWebhook.Response answer = crm.service(StripeWebhook.class).receive(rawBody, header("Stripe-Signature"));
 * }</pre>
 *
 * <p>A body over the cap is refused (413) before anything else; then the signature is checked over
 * the exact bytes, with a tolerance of 300 s by the Crm's clock, before anything is parsed: a bad
 * signature or a stale timestamp is refused (400) and stores nothing. The organization is found
 * from the event's Stripe customer through one owner-defined function
 * ({@code crm.billing_organization_of_customer}), never from metadata; an event of a customer no
 * organization has is acknowledged and dropped (the host may use Stripe for itself). Each event is
 * stored once in the organization's {@code billing_events}: a replay is acknowledged and changes
 * nothing, and an event older than the state kept (Stripe does not promise order) is recorded as
 * {@code stale} and changes nothing. 503 for a transient database failure (Stripe retries); an event
 * that fails for good is kept as a dead letter of source {@code stripe.webhook} in its
 * organization ({@link io.crmkit.core.DeadLetters}, where an admin replays it) and acknowledged.
 *
 * <p>Configure the endpoint in Stripe with the API version stripe-java pins
 * ({@code 2026-07-29.dahlia}); an event of another release is read leniently, with a warning.
 */
public interface StripeWebhook {
  /** The largest body accepted: 1 MiB. */
  int MAX_BODY_BYTES = 1024 * 1024;

  /**
   * What to answer.
   *
   * @param status the HTTP status
   * @param body a short plain-text reason
   */
  record Response(int status, String body) {}

  /**
   * A delivery as received.
   *
   * @param rawBody the request body exactly as received (the signature covers these bytes)
   * @param signatureHeader the {@code Stripe-Signature} header, or null if absent
   */
  Response receive(byte[] rawBody, String signatureHeader);
}
