package io.crmkit.whatsapp;

/**
 * The WhatsApp webhook, framework-free, a service across tenants: the host mounts it at its own
 * endpoint, passes the request's parts in, and answers with the returned status and body. Needs
 * {@code verifyToken(…)} and at least one {@code app(…)} in {@link WhatsAppModule.Builder}.
 *
 * <pre>{@code
 * WhatsAppWebhook webhook = crm.service(WhatsAppWebhook.class);
 * // GET:  webhook.verify(query("hub.mode"), query("hub.verify_token"), query("hub.challenge"))
 * // POST: webhook.receive(rawBodyBytes, header("X-Hub-Signature-256"))
 * }</pre>
 *
 * <p>A POST is checked against every configured app's secret over the exact bytes before anything
 * is parsed (401 if none verifies it). Each {@code entry[].changes[]} item is routed by its
 * {@code metadata.phone_number_id} through {@code crm.route_whatsapp_webhook}, which answers only
 * for a number of the app whose secret signed the delivery, and is stored in that tenant's own
 * transaction: contact (by BSUID, then phone), conversation, customer (found or created unless
 * {@code max_customers} is reached), message (once per WhatsApp message id, however often Meta
 * redelivers it), a {@code message} activity, and delivery statuses of outbound messages, which
 * only move forward. The answer is 200 once every item has committed (or was for an unknown
 * number, logged); 400 for a body that is not a WhatsApp webhook; 503 for a transient database
 * failure and 500 for any other, so Meta delivers again. Thread-safe.
 */
public interface WhatsAppWebhook {

  /**
   * What to answer.
   *
   * @param status the HTTP status
   * @param body the response body (the challenge for a verified GET), plain text
   */
  record Response(int status, String body) {}

  /**
   * The GET verification handshake Meta performs when the webhook is configured: 200 with the
   * challenge when {@code mode} is {@code subscribe} and the token is the configured one, 403
   * otherwise.
   *
   * @throws IllegalStateException if the module was configured without a verify token and apps
   */
  Response verify(String mode, String verifyToken, String challenge);

  /**
   * A POSTed delivery.
   *
   * @param rawBody the request body exactly as received (the signature covers these bytes)
   * @param signatureHeader the {@value WebhookSignature#HEADER} header, or null if absent
   * @throws IllegalStateException if the module was configured without a verify token and apps
   */
  Response receive(byte[] rawBody, String signatureHeader);
}
