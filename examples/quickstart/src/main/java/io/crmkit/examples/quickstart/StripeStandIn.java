package io.crmkit.examples.quickstart;

import com.stripe.Stripe;
import com.stripe.net.Webhook;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A stand-in for Stripe, so the quickstart's checkout runs without an account or a network: on a
 * local port, it answers the calls a checkout makes (a customer search by the organization's id,
 * {@code POST /v1/customers}, {@code POST /v1/checkout/sessions}) the way Stripe's API does, and {@link #pay} makes the signed webhook
 * deliveries Stripe sends once the customer has paid. It checks the key and the prices it sells,
 * nothing more; in production the module talks to {@code https://api.stripe.com}.
 */
final class StripeStandIn implements AutoCloseable {
  /** A webhook delivery: what Stripe posts to the host's endpoint. */
  record Delivery(String eventType, byte[] body, String stripeSignature) {}

  /** A Checkout session as made: whose, for which price. */
  private record Session(String id, String customer, String price, String clientReferenceId) {}

  private final String secretKey;
  private final String webhookSecret;
  private final Map<String, Long> pricesInCents;
  /** Customers made, by the organization id in their metadata. */
  private final Map<String, String> customers = new ConcurrentHashMap<>();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final HttpServer server;

  private StripeStandIn(String secretKey, String webhookSecret, Map<String, Long> pricesInCents) {
    this.secretKey = Objects.requireNonNull(secretKey, "secretKey");
    this.webhookSecret = Objects.requireNonNull(webhookSecret, "webhookSecret");
    this.pricesInCents = Map.copyOf(pricesInCents);
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a local port for the Stripe stand-in", e);
    }
    server.createContext("/", this::answer);
  }

  /**
   * Starts a stand-in that accepts {@code secretKey}, signs its webhook deliveries with
   * {@code webhookSecret}, and sells the monthly prices {@code pricesInCents} names (in USD).
   */
  static StripeStandIn start(String secretKey, String webhookSecret, Map<String, Long> pricesInCents) {
    StripeStandIn stripe = new StripeStandIn(secretKey, webhookSecret, pricesInCents);
    stripe.server.start();
    return stripe;
  }

  /** Where its API is: give it to {@code BillingModule.builder().apiBase(…)}. */
  URI apiBase() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * The customer pays on the Checkout page {@code checkoutUrl}: Stripe then sends the session's
   * completion and the new subscription (active, on the session's price) to the host's webhook.
   * Stripe does not promise their order.
   */
  List<Delivery> pay(URI checkoutUrl) {
    String path = checkoutUrl.getPath();
    Session session = sessions.get(path.substring(path.lastIndexOf('/') + 1));
    if (session == null) {
      throw new IllegalArgumentException("no Checkout session of this stand-in: " + checkoutUrl);
    }
    String subscription = "sub_" + id();
    long now = Instant.now().getEpochSecond();
    String completed = """
        {"id": "%s", "object": "checkout.session", "mode": "subscription", "status": "complete",
         "payment_status": "paid", "customer": "%s", "subscription": "%s", "client_reference_id": "%s"}"""
        .formatted(session.id(), session.customer(), subscription, session.clientReferenceId());
    String created = """
        {"id": "%s", "object": "subscription", "customer": "%s", "status": "active", "cancel_at_period_end": false,
         "items": {"object": "list", "data": [{"id": "si_%s", "object": "subscription_item",
           "current_period_start": %d, "current_period_end": %d,
           "price": {"id": "%s", "object": "price", "unit_amount": %d, "currency": "usd",
                     "recurring": {"interval": "month"}}}]}}"""
        .formatted(subscription, session.customer(), id(), now, now + Duration.ofDays(30).toSeconds(),
            session.price(), pricesInCents.get(session.price()));
    return List.of(delivery("checkout.session.completed", completed, now),
        delivery("customer.subscription.created", created, now));
  }

  /** An event about {@code object}, signed the way Stripe signs it (over the exact bytes, with the time). */
  private Delivery delivery(String type, String object, long created) {
    String event = """
        {"id": "evt_%s", "object": "event", "api_version": "%s", "created": %d, "type": "%s",
         "livemode": false, "pending_webhooks": 1, "data": {"object": %s}}"""
        .formatted(id(), Stripe.API_VERSION, created, type, object);
    try {
      return new Delivery(type, event.getBytes(StandardCharsets.UTF_8),
          Webhook.Signature.generateSignatureHeader(event, webhookSecret));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with HMAC-SHA256", e);
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    if (exchange.getRequestURI().getRawQuery() != null) {
      form.putAll(form(exchange.getRequestURI().getRawQuery()));
    }
    String request = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
    int status = 200;
    String json;
    if (!("Bearer " + secretKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      status = 401;
      json = error("Invalid API Key provided");
    } else if (request.equals("GET /v1/customers/search")) {
      String query = form.getOrDefault("query", "");
      json = """
          {"object": "search_result", "has_more": false, "data": [%s]}""".formatted(customers.entrySet().stream()
          .filter(c -> query.contains("'" + c.getKey() + "'"))
          .map(c -> "{\"id\": \"" + c.getValue() + "\", \"object\": \"customer\"}").collect(Collectors.joining(", ")));
    } else if (request.equals("POST /v1/customers")) {
      String customer = "cus_" + id();
      customers.put(form.getOrDefault("metadata[crmkit_organization_id]", ""), customer);
      json = """
          {"id": "%s", "object": "customer"}""".formatted(customer);
    } else if (request.equals("POST /v1/checkout/sessions")) {
      String customer = form.get("customer");
      String price = form.get("line_items[0][price]");
      if (!customers.containsValue(customer)) {
        status = 400;
        json = error("No such customer: '" + customer + "'");
      } else if (!pricesInCents.containsKey(price)) {
        status = 400;
        json = error("No such price: '" + price + "'");
      } else {
        Session session = new Session("cs_test_" + id(), customer, price, form.get("client_reference_id"));
        sessions.put(session.id(), session);
        json = """
            {"id": "%s", "object": "checkout.session", "mode": "subscription", "status": "open",
             "customer": "%s", "url": "https://checkout.stripe.com/c/pay/%s"}"""
            .formatted(session.id(), customer, session.id());
      }
    } else {
      status = 404;
      json = error("Unrecognized request URL (" + request + ")");
    }
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  /** Stripe's error body. */
  private static String error(String message) {
    return """
        {"error": {"type": "invalid_request_error", "message": "%s"}}""".formatted(message);
  }

  /** The form fields stripe-java sends, e.g. {@code line_items[0][price]}. */
  private static Map<String, String> form(String body) {
    Map<String, String> fields = new HashMap<>();
    for (String pair : body.isEmpty() ? new String[0] : body.split("&")) {
      int eq = pair.indexOf('=');
      fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return fields;
  }

  /** Stripe-like ids, random so a second run on the same database makes new ones. */
  private static String id() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 14);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
