package io.crmkit.billing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stripe's API on a local port, the JDK's HttpServer: it records every request (method, path, the
 * form fields stripe-java sends, the headers that matter) and answers as Stripe would, or with a
 * refusal a test scripts.
 */
final class StripeStub implements AutoCloseable {
  /** A request as received. */
  record Request(String method, String path, Map<String, String> form, String authorization, String idempotencyKey,
      String stripeVersion) {}

  /** Customers by the organization id in their metadata, as Stripe's search finds them. */
  private final Map<String, String> customers = new java.util.concurrent.ConcurrentHashMap<>();

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  private volatile int refuseWith;
  private final java.util.Deque<Integer> scripted = new java.util.concurrent.ConcurrentLinkedDeque<>();

  StripeStub() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getPath();
      Map<String, String> fields = form(body);
      if (exchange.getRequestURI().getRawQuery() != null) {
        fields.putAll(form(exchange.getRequestURI().getRawQuery()));
      }
      requests.add(new Request(exchange.getRequestMethod(), path, fields,
          exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("Idempotency-Key"),
          exchange.getRequestHeaders().getFirst("Stripe-Version")));
      int status = 200;
      String answer;
      int n = ids.incrementAndGet();
      Integer next = scripted.pollFirst();
      if (next != null && next < 0) {
        exchange.close(); // the connection drops after the request arrived
        return;
      }
      if (next != null && next != 200) {
        status = next;
        answer = "{\"error\":{\"type\":\"" + (next >= 500 ? "api_error" : "invalid_request_error")
            + "\",\"message\":\"scripted " + next + "\"}}";
        exchange.getResponseHeaders().add("Stripe-Should-Retry", "false");
      } else if (refuseWith != 0) {
        status = refuseWith;
        answer = "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"No such price\"}}";
      } else if (path.equals("/v1/customers/search")) {
        String query = fields.getOrDefault("query", "");
        answer = "{\"object\":\"search_result\",\"url\":\"/v1/customers/search\",\"has_more\":false,\"data\":["
            + customers.entrySet().stream().filter(c -> query.contains("'" + c.getKey() + "'"))
                .map(c -> "{\"id\":\"" + c.getValue() + "\",\"object\":\"customer\"}")
                .collect(java.util.stream.Collectors.joining(",")) + "]}";
      } else if (path.equals("/v1/customers")) {
        customers.put(fields.getOrDefault("metadata[crmkit_organization_id]", ""), "cus_Stub" + n);
        answer = "{\"id\":\"cus_Stub" + n + "\",\"object\":\"customer\"}";
      } else if (path.equals("/v1/checkout/sessions")) {
        answer = "{\"id\":\"cs_test_" + n + "\",\"object\":\"checkout.session\",\"url\":\"https://checkout.stripe.com/c/pay/cs_test_"
            + n + "\"}";
      } else if (path.startsWith("/v1/subscriptions/sub_")) {
        answer = "{\"id\":\"" + path.substring("/v1/subscriptions/".length())
            + "\",\"object\":\"subscription\",\"status\":\"active\"}";
      } else if (path.equals("/v1/billing/meter_events")) {
        Map<String, String> f = form(body);
        answer = "{\"object\":\"billing.meter_event\",\"event_name\":\"" + f.get("event_name") + "\",\"identifier\":\""
            + f.get("identifier") + "\",\"timestamp\":" + f.get("timestamp") + "}";
      } else if (path.equals("/v1/billing_portal/sessions")) {
        answer = "{\"id\":\"bps_" + n + "\",\"object\":\"billing_portal.session\",\"url\":\"https://billing.stripe.com/p/session/bps_"
            + n + "\"}";
      } else {
        status = 404;
        answer = "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Unrecognized request URL\"}}";
      }
      byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.getResponseHeaders().add("Request-Id", "req_" + n);
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  List<Request> requests() {
    return new ArrayList<>(requests);
  }

  void clear() {
    requests.clear();
    scripted.clear();
  }

  /** A customer Stripe has for {@code organizationId}, as if made by an earlier call. */
  void knownCustomer(java.util.UUID organizationId, String customer) {
    customers.put(organizationId.toString(), customer);
  }

  /** Answers every request with {@code status} (and Stripe's error body) from now; 0 for normal answers. */
  void refuseWith(int status) {
    this.refuseWith = status;
  }

  /**
   * The next requests' answers, one each, before the usual ones: a status (with Stripe's error body
   * and {@code Stripe-Should-Retry: false}, so stripe-java does not retry it itself), 200 for the
   * usual answer, or -1 to drop the connection after the request arrived.
   */
  void answerNext(int... statuses) {
    for (int status : statuses) {
      scripted.addLast(status);
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (body.isEmpty()) {
      return fields;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return fields;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
