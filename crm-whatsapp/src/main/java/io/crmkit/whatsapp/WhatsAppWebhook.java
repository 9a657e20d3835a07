package io.crmkit.whatsapp;

import io.crmkit.core.Crm;
import io.crmkit.whatsapp.internal.WebhookIngest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The WhatsApp webhook, framework-free: the host mounts it at its own endpoint and passes the
 * request's parts in, then answers with the returned status and body.
 *
 * <pre>{@code
 * WhatsAppWebhook webhook = WhatsAppWebhook.builder(whatsapp)
 *     .verifyToken(System.getenv("WA_VERIFY_TOKEN"))
 *     .app("1234567890", System.getenv("WA_APP_SECRET"))
 *     .build();
 * // GET:  webhook.verify(query("hub.mode"), query("hub.verify_token"), query("hub.challenge"))
 * // POST: webhook.receive(rawBodyBytes, header("X-Hub-Signature-256"))
 * }</pre>
 *
 * <p>A POST is checked against every registered app's secret over the exact bytes before anything
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
public final class WhatsAppWebhook {

  /**
   * What to answer.
   *
   * @param status the HTTP status
   * @param body the response body (the challenge for a verified GET), plain text
   */
  public record Response(int status, String body) {}

  private final String verifyToken;
  private final WebhookSignature signatures;
  private final WebhookIngest ingest;

  private WhatsAppWebhook(Builder builder) {
    this.verifyToken = builder.verifyToken;
    this.signatures = WebhookSignature.of(builder.secrets);
    this.ingest = new WebhookIngest(builder.crm, builder.events);
  }

  /** Starts configuring the webhook of a WhatsApp module. */
  public static Builder builder(WhatsApp whatsapp) {
    return new Builder(whatsapp);
  }

  /**
   * The GET verification handshake Meta performs when the webhook is configured: 200 with the
   * challenge when {@code mode} is {@code subscribe} and the token is ours, 403 otherwise.
   */
  public Response verify(String mode, String verifyToken, String challenge) {
    boolean tokenMatches = verifyToken != null && MessageDigest.isEqual(
        verifyToken.getBytes(StandardCharsets.UTF_8), this.verifyToken.getBytes(StandardCharsets.UTF_8));
    if ("subscribe".equals(mode) && tokenMatches && challenge != null && !challenge.isEmpty()) {
      return new Response(200, challenge);
    }
    return new Response(403, "forbidden");
  }

  /**
   * A POSTed delivery.
   *
   * @param rawBody the request body exactly as received (the signature covers these bytes)
   * @param signatureHeader the {@value WebhookSignature#HEADER} header, or null if absent
   */
  public Response receive(byte[] rawBody, String signatureHeader) {
    Objects.requireNonNull(rawBody, "rawBody");
    return signatures.verify(rawBody, signatureHeader)
        .map(app -> ingest.receive(app, rawBody))
        .map(result -> new Response(result.status(), result.body()))
        .orElseGet(() -> new Response(401, "invalid signature"));
  }

  /** Configures {@link WhatsAppWebhook}. */
  public static final class Builder {
    private final Crm crm;
    private final io.crmkit.whatsapp.internal.Events events;
    private String verifyToken;
    private final Map<String, String> secrets = new LinkedHashMap<>();

    private Builder(WhatsApp whatsapp) {
      this.crm = Objects.requireNonNull(whatsapp, "whatsapp").crm();
      this.events = whatsapp.events();
    }

    /** The token the GET handshake must present (you choose it when configuring the webhook at Meta). */
    public Builder verifyToken(String verifyToken) {
      Objects.requireNonNull(verifyToken, "verifyToken");
      if (verifyToken.isBlank()) {
        throw new IllegalArgumentException("verifyToken must not be blank");
      }
      this.verifyToken = verifyToken;
      return this;
    }

    /** A Meta app whose deliveries this webhook accepts, with its app secret; repeat for several apps. */
    public Builder app(String metaAppId, String appSecret) {
      Objects.requireNonNull(metaAppId, "metaAppId");
      Objects.requireNonNull(appSecret, "appSecret");
      if (!metaAppId.matches("[0-9]{1,32}")) {
        throw new IllegalArgumentException("metaAppId must be the app's numeric id, was " + metaAppId);
      }
      secrets.put(metaAppId, appSecret);
      return this;
    }

    /**
     * The webhook.
     *
     * @throws IllegalStateException without a verify token or an app
     */
    public WhatsAppWebhook build() {
      if (verifyToken == null) {
        throw new IllegalStateException("WhatsAppWebhook needs verifyToken(…) for Meta's GET handshake");
      }
      if (secrets.isEmpty()) {
        throw new IllegalStateException("WhatsAppWebhook needs at least one app(metaAppId, appSecret)");
      }
      return new WhatsAppWebhook(this);
    }
  }
}
