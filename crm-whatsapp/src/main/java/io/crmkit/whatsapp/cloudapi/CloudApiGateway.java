package io.crmkit.whatsapp.cloudapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkit.core.spi.Json;
import io.crmkit.whatsapp.NumberCheck;
import io.crmkit.whatsapp.OutgoingMessage;
import io.crmkit.whatsapp.SendFailure;
import io.crmkit.whatsapp.SendResult;
import io.crmkit.whatsapp.WhatsAppGateway;
import io.crmkit.whatsapp.WhatsAppSender;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link WhatsAppGateway} on the official WhatsApp Business Cloud API: {@code POST
 * /{version}/{phone-number-id}/messages} on the Graph API over HTTPS, with the sender's bearer
 * token, on the JDK's HTTP client.
 *
 * <pre>{@code
 * WhatsAppGateway gateway = CloudApiGateway.builder().build();   // https://graph.facebook.com, v23.0
 * SendResult result = gateway.send(new WhatsAppSender(phoneNumberId, token),
 *     new OutgoingMessage.Text("+966501234567", "Hello"));
 * }</pre>
 *
 * <p>The Cloud API's error codes become {@link SendFailure.Kind}s: 130429, 80007 and 4 are
 * {@code RATE_LIMITED}, 131056 {@code PAIR_RATE_LIMITED}, 131047 {@code OUTSIDE_CUSTOMER_WINDOW},
 * 131026 {@code UNDELIVERABLE}, 131050 {@code MARKETING_OPT_OUT}; 190, 0, 10, 200–299 and HTTP 401
 * {@code AUTHENTICATION}; any other refusal, such as 131062 (this message cannot go to a business-scoped
 * user id, e.g. a one-tap authentication template), is {@code REJECTED} with the code. A message to a
 * business-scoped user id goes in the request's {@code recipient}, one to a phone in its {@code to}
 * (digits without {@code +}). Any other HTTP 5xx answer (Meta's 131000, a proxy's HTML error page)
 * is {@code PROVIDER_ERROR}: not known to be unsent. A request that timed out after it was sent is
 * {@link SendResult.Unknown}, never retried here; one that could not connect is
 * {@code CONNECTION_FAILED}. Thread-safe.
 */
public final class CloudApiGateway implements WhatsAppGateway {
  private static final Logger log = LoggerFactory.getLogger(CloudApiGateway.class);

  /** Where the Graph API is. */
  public static final URI DEFAULT_BASE_URI = URI.create("https://graph.facebook.com");
  /** The Graph API version called unless the builder names another. */
  public static final String DEFAULT_API_VERSION = "v23.0";
  /** How long to wait for a connection. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** How long to wait for an answer once connected. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(20);

  private final URI baseUri;
  private final String apiVersion;
  private final Duration requestTimeout;
  private final HttpClient http;

  private CloudApiGateway(Builder builder) {
    this.baseUri = builder.baseUri;
    this.apiVersion = builder.apiVersion;
    this.requestTimeout = builder.requestTimeout;
    this.http = HttpClient.newBuilder().connectTimeout(builder.connectTimeout).build();
  }

  /** Starts a gateway with the defaults: the public Graph API, {@value #DEFAULT_API_VERSION}. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public SendResult send(WhatsAppSender sender, OutgoingMessage message) {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(message, "message");
    return post(sender, CloudApiRequests.message(message));
  }

  /** Sends with the tag in {@code biz_opaque_callback_data}, which the Cloud API gives back in statuses. */
  @Override
  public SendResult send(WhatsAppSender sender, OutgoingMessage message, String tag) {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(tag, "tag");
    if (tag.isEmpty() || tag.length() > 512) {
      throw new IllegalArgumentException("tag must be 1 to 512 characters, was " + tag.length());
    }
    ObjectNode body = CloudApiRequests.message(message);
    body.put("biz_opaque_callback_data", tag);
    return post(sender, body);
  }

  @Override
  public SendResult markRead(WhatsAppSender sender, String providerMessageId) {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(providerMessageId, "providerMessageId");
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("messaging_product", "whatsapp");
    body.put("status", "read");
    body.put("message_id", providerMessageId);
    SendResult result = post(sender, body);
    return result instanceof SendResult.Accepted ? new SendResult.Accepted(providerMessageId) : result;
  }

  /**
   * Asks the Graph API for the number with the sender's token: {@code GET
   * /{version}/{phone-number-id}?fields=id}. 200 naming the same id is {@code OWNED}; a refusal
   * (4xx) {@code NOT_OWNED}; anything else {@code UNKNOWN}.
   */
  @Override
  public NumberCheck verifyNumber(WhatsAppSender sender) {
    Objects.requireNonNull(sender, "sender");
    String base = baseUri.toString().replaceAll("/+$", "");
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/" + apiVersion + "/" + sender.phoneNumberId()
        + "?fields=id")).timeout(requestTimeout).header("Authorization", "Bearer " + sender.accessToken()).GET().build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() == 200) {
        String id = Json.MAPPER.readTree(response.body()).path("id").asText("");
        return id.equals(sender.phoneNumberId()) ? NumberCheck.OWNED : NumberCheck.NOT_OWNED;
      }
      // Only a refusal that is about this token and this number says no: a NOT_OWNED can move the
      // number to another tenant. Rate limits, Graph's "unknown" or "temporarily unavailable"
      // errors (codes 1 and 2) and anything else say nothing.
      SendResult answer = CloudApiAnswers.result(response.statusCode(), response.body());
      if (response.statusCode() < 500 && answer instanceof SendResult.Failed refused
          && (refused.failure().providerCode() == 100 || refused.failure().kind() == SendFailure.Kind.AUTHENTICATION)) {
        return NumberCheck.NOT_OWNED;
      }
      return NumberCheck.UNKNOWN;
    } catch (IOException e) {
      return NumberCheck.UNKNOWN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return NumberCheck.UNKNOWN;
    }
  }

  /**
   * Two requests with the sender's token: {@code GET /{version}/{media-id}} for the media's
   * short-lived URL and type, then {@code GET <url>} for the bytes, streamed into the sink.
   */
  @Override
  public MediaFetch fetchMedia(WhatsAppSender sender, String mediaId, MediaSink sink) {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(sink, "sink");
    if (mediaId == null || !mediaId.matches("[0-9A-Za-z_.-]{1,128}")) {
      return MediaFetch.GONE;
    }
    String base = baseUri.toString().replaceAll("/+$", "");
    try {
      HttpResponse<String> meta = http.send(HttpRequest.newBuilder(URI.create(base + "/" + apiVersion + "/" + mediaId))
          .timeout(requestTimeout).header("Authorization", "Bearer " + sender.accessToken()).GET().build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (meta.statusCode() == 404 || meta.statusCode() == 400) {
        return MediaFetch.GONE;
      }
      if (meta.statusCode() != 200) {
        return MediaFetch.FAILED;
      }
      JsonNode json = Json.MAPPER.readTree(meta.body());
      String url = json.path("url").asText("");
      if (!mediaHostAllowed(url, base)) {
        // The token goes with the download: only to Meta's media hosts (or wherever baseUri points).
        return MediaFetch.FAILED;
      }
      HttpResponse<java.io.InputStream> bytes = http.send(HttpRequest.newBuilder(URI.create(url))
          .timeout(requestTimeout).header("Authorization", "Bearer " + sender.accessToken()).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      try (java.io.InputStream body = bytes.body()) {
        if (bytes.statusCode() == 404) {
          return MediaFetch.GONE;
        }
        if (bytes.statusCode() != 200) {
          return MediaFetch.FAILED;
        }
        sink.accept(json.path("mime_type").asText("application/octet-stream"), body);
        return MediaFetch.FETCHED;
      }
    } catch (IOException e) {
      return MediaFetch.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return MediaFetch.FAILED;
    }
  }

  /** Meta serves media from {@code *.fbsbx.com} over HTTPS; a stub or proxy at baseUri is trusted too. */
  static boolean mediaHostAllowed(String url, String base) {
    if (url.startsWith(base + "/")) {
      return true;
    }
    try {
      URI uri = URI.create(url);
      String host = uri.getHost();
      return "https".equals(uri.getScheme()) && host != null
          && (host.equals("fbsbx.com") || host.endsWith(".fbsbx.com"));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private SendResult post(WhatsAppSender sender, ObjectNode body) {
    String base = baseUri.toString().replaceAll("/+$", "");
    URI uri = URI.create(base + "/" + apiVersion + "/" + sender.phoneNumberId() + "/messages");
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(requestTimeout)
        .header("Authorization", "Bearer " + sender.accessToken())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException | ConnectException e) {
      log.debug("could not connect to {} for phone number id {}", baseUri, sender.phoneNumberId(), e);
      return new SendResult.Failed(new SendFailure(SendFailure.Kind.CONNECTION_FAILED, 0,
          "could not connect to " + baseUri + ": " + e.getMessage()));
    } catch (HttpTimeoutException e) {
      return new SendResult.Unknown("no answer from " + baseUri + " within " + requestTimeout);
    } catch (IOException e) {
      // The request may have been written before the connection broke: not known to be unsent.
      return new SendResult.Unknown("the connection to " + baseUri + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new SendResult.Unknown("interrupted while waiting for " + baseUri);
    }
    return CloudApiAnswers.result(response.statusCode(), response.body());
  }

  /** Configures a {@link CloudApiGateway}. */
  public static final class Builder {
    private URI baseUri = DEFAULT_BASE_URI;
    private String apiVersion = DEFAULT_API_VERSION;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

    private Builder() {}

    /**
     * Where the Graph API is, e.g. a local stub in tests ({@code http://127.0.0.1:8089}) or a
     * proxy; calls go to {@code <baseUri>/<version>/<phone-number-id>/messages}.
     */
    public Builder baseUri(URI baseUri) {
      Objects.requireNonNull(baseUri, "baseUri");
      if (baseUri.getScheme() == null || !(baseUri.getScheme().equals("https") || baseUri.getScheme().equals("http"))) {
        throw new IllegalArgumentException("baseUri must be an http(s) URI, was " + baseUri);
      }
      this.baseUri = baseUri;
      return this;
    }

    /** The Graph API version, e.g. {@code v23.0}. */
    public Builder apiVersion(String apiVersion) {
      Objects.requireNonNull(apiVersion, "apiVersion");
      if (!apiVersion.matches("v[0-9]+\\.[0-9]+")) {
        throw new IllegalArgumentException("apiVersion must look like v23.0, was " + apiVersion);
      }
      this.apiVersion = apiVersion;
      return this;
    }

    /** How long to wait for a connection. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive("connectTimeout", connectTimeout);
      return this;
    }

    /** How long to wait for an answer once the request is sent; past it the result is {@link SendResult.Unknown}. */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = positive("requestTimeout", requestTimeout);
      return this;
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }

    /** The gateway. */
    public CloudApiGateway build() {
      return new CloudApiGateway(this);
    }
  }
}
