package io.crmkit.whatsapp;

import java.io.InputStream;

/**
 * The WhatsApp webhook, framework-free, a service across tenants: the host mounts it at its own
 * endpoint, passes the request's parts in, and answers with the returned status and body. Needs
 * {@code verifyToken(…)} and at least one {@code app(…)} in {@link WhatsAppModule.Builder}.
 *
 * <pre>{@code
 * WhatsAppWebhook webhook = crm.service(WhatsAppWebhook.class);
 * // GET:  webhook.verify(query("hub.mode"), query("hub.verify_token"), query("hub.challenge"))
 * // POST: webhook.receive(request.getInputStream(), header("X-Hub-Signature-256"))
 * }</pre>
 *
 * <p>A POST larger than {@code maxBodyBytes} ({@value #DEFAULT_MAX_BODY_BYTES} bytes unless
 * configured; Meta documents deliveries of up to 3 MB) is refused with 413 before any signature is
 * computed over it. Then it is checked against every configured app's secret over the exact bytes
 * before anything is parsed (401 if none verifies it), and read as JSON from outside: bytes that
 * are not UTF-8 become U+FFFD, and control characters and broken UTF-16 in any text are removed or
 * replaced, so they are stored cleaned (400 only for a body that is not JSON or not a WhatsApp
 * webhook). Each {@code entry[].changes[]} item is routed by its
 * {@code metadata.phone_number_id} through {@code crm.route_whatsapp_webhook}, which answers only
 * for a number of the app whose secret signed the delivery, and is stored in that tenant's own
 * transaction: contact (by BSUID, then phone), conversation, customer (found or created unless
 * {@code max_customers} is reached; a profile name crm-core would refuse leaves it unnamed),
 * message (once per WhatsApp message id, however often Meta redelivers it), a {@code message}
 * activity, and delivery statuses of outbound messages, which only move forward.
 *
 * <p>Nothing poisons a delivery: when a change's transaction fails for good, its messages and
 * statuses are stored one per transaction, and one that fails alone is kept as a dead letter of
 * source {@code whatsapp.webhook} in its tenant ({@link io.crmkit.core.DeadLetters}, where an admin
 * replays it once the cause is fixed), once however often it is redelivered. The answer is 200
 * once everything that can be stored is stored (changes for an unknown number are logged and
 * acknowledged); 503 for a transient database failure (unreachable, pool exhausted, serialization
 * failure, deadlock, lock or statement timeout), after which Meta delivers again and what was
 * stored is not stored twice; 500 if the database fails otherwise where no item is to blame
 * (routing, or a dead letter that cannot be written). Thread-safe.
 */
public interface WhatsAppWebhook {
  /** The largest body accepted unless {@code WhatsAppModule.Builder.maxBodyBytes(…)} says otherwise: 4 MiB. */
  int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

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
   * A POSTed delivery the host has read whole: 413 at once if it is larger than the cap.
   *
   * @param rawBody the request body exactly as received (the signature covers these bytes)
   * @param signatureHeader the {@value WebhookSignature#HEADER} header, or null if absent
   */
  Response receive(byte[] rawBody, String signatureHeader);

  /**
   * A POSTed delivery, read from the request's stream: at most one byte more than the cap is read,
   * so a host need not buffer a huge body to have it refused (413; the rest is left unread). A
   * stream that fails while it is read is answered 400. The stream is not closed.
   *
   * @param body the request body's stream, positioned at its start
   * @param signatureHeader the {@value WebhookSignature#HEADER} header, or null if absent
   */
  Response receive(InputStream body, String signatureHeader);
}
