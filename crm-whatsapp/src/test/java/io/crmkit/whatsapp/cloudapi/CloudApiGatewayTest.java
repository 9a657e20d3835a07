package io.crmkit.whatsapp.cloudapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.crmkit.core.spi.Json;
import io.crmkit.whatsapp.NumberCheck;
import io.crmkit.whatsapp.OutgoingMessage;
import io.crmkit.whatsapp.SendFailure;
import io.crmkit.whatsapp.SendResult;
import io.crmkit.whatsapp.WhatsAppGateway;
import io.crmkit.whatsapp.WhatsAppSender;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Cloud API gateway against a local HTTP stub that records and checks the exact requests. */
class CloudApiGatewayTest {
  private static final WhatsAppSender SENDER = new WhatsAppSender("106540352242922", "EAAG-secret-token");

  /** One request the stub received. */
  record Received(String method, String path, String authorization, String contentType, JsonNode body) {}

  private HttpServer stub;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private volatile String answer = "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"966501234567\","
      + "\"wa_id\":\"966501234567\"}],\"messages\":[{\"id\":\"wamid.HBgMOTY2NTAxMjM0NTY3FQIAERgSQTE=\"}]}";
  private volatile long delayMillis;
  private CloudApiGateway gateway;

  @BeforeEach
  void startStub() throws IOException {
    stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stub.createContext("/", exchange -> {
      byte[] request = exchange.getRequestBody().readAllBytes();
      received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath()
          + (exchange.getRequestURI().getQuery() == null ? "" : "?" + exchange.getRequestURI().getQuery()),
          exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("Content-Type"),
          request.length == 0 ? null : Json.MAPPER.readTree(request)));
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body = exchange.getRequestURI().getPath().startsWith("/media/")
          ? "JPEG-BYTES".getBytes(StandardCharsets.UTF_8) : answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    stub.start();
    gateway = CloudApiGateway.builder().baseUri(URI.create("http://127.0.0.1:" + stub.getAddress().getPort()))
        .requestTimeout(Duration.ofMillis(800)).build();
  }

  @AfterEach
  void stopStub() {
    stub.stop(0);
  }

  private static JsonNode json(String text) throws IOException {
    return Json.MAPPER.readTree(text.replace('\'', '"'));
  }

  @Test
  void sendsTextAsTheCloudApiExpectsAndReturnsTheMessageId() throws IOException {
    SendResult result = gateway.send(SENDER, new OutgoingMessage.Text("+966501234567", "مرحبا، طلبك في الطريق"));

    assertThat(result).isEqualTo(new SendResult.Accepted("wamid.HBgMOTY2NTAxMjM0NTY3FQIAERgSQTE="));
    assertThat(received).singleElement().satisfies(r -> {
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.path()).isEqualTo("/v23.0/106540352242922/messages");
      assertThat(r.authorization()).isEqualTo("Bearer EAAG-secret-token");
      assertThat(r.contentType()).isEqualTo("application/json");
    });
    assertThat(received.get(0).body()).isEqualTo(json("{'messaging_product':'whatsapp','recipient_type':'individual',"
        + "'to':'966501234567','type':'text','text':{'preview_url':false,'body':'مرحبا، طلبك في الطريق'}}"));
  }

  @Test
  void sendsTemplatesMediaAndReadReceipts() throws IOException {
    gateway.send(SENDER, OutgoingMessage.Template.of("+971501234567", "order_update", "ar", List.of("A-1042", "غدا")));
    gateway.send(SENDER, new OutgoingMessage.Media("+971501234567", OutgoingMessage.MediaKind.DOCUMENT,
        OutgoingMessage.MediaSource.link("https://files.example/invoice.pdf"), Optional.of("Your invoice"),
        Optional.of("invoice.pdf")));
    gateway.send(SENDER, new OutgoingMessage.Media("+971501234567", OutgoingMessage.MediaKind.IMAGE,
        OutgoingMessage.MediaSource.id("1479537139650973"), Optional.empty(), Optional.empty()));
    answer = "{\"success\":true}";
    assertThat(gateway.markRead(SENDER, "wamid.IN1")).isEqualTo(new SendResult.Accepted("wamid.IN1"));

    assertThat(received).extracting(Received::body).containsExactly(
        json("{'messaging_product':'whatsapp','recipient_type':'individual','to':'971501234567','type':'template',"
            + "'template':{'name':'order_update','language':{'code':'ar'},'components':[{'type':'body','parameters':"
            + "[{'type':'text','text':'A-1042'},{'type':'text','text':'غدا'}]}]}}"),
        json("{'messaging_product':'whatsapp','recipient_type':'individual','to':'971501234567','type':'document',"
            + "'document':{'link':'https://files.example/invoice.pdf','caption':'Your invoice','filename':'invoice.pdf'}}"),
        json("{'messaging_product':'whatsapp','recipient_type':'individual','to':'971501234567','type':'image',"
            + "'image':{'id':'1479537139650973'}}"),
        json("{'messaging_product':'whatsapp','status':'read','message_id':'wamid.IN1'}"));
  }

  @Test
  void aTemplateCarriesItsHeaderNamedBodyValuesAndButtons() throws IOException {
    gateway.send(SENDER, new OutgoingMessage.Template("+966501234567", "spring_offer", "ar", List.of(
        OutgoingMessage.TemplateComponent.header(List.of(OutgoingMessage.TemplateParameter.positional("عرض الربيع"))),
        OutgoingMessage.TemplateComponent.body(List.of(OutgoingMessage.TemplateParameter.named("first_name", "Sara"),
            OutgoingMessage.TemplateParameter.named("discount", "20%"))),
        OutgoingMessage.TemplateComponent.button(0, "url", List.of(OutgoingMessage.TemplateParameter.positional(
            "spring-2026"))),
        OutgoingMessage.TemplateComponent.button(1, "quick_reply", List.of(OutgoingMessage.TemplateParameter
            .positional("STOP"))))), "crmkit.campaign:7");
    assertThat(received.get(0).body()).isEqualTo(json("{'messaging_product':'whatsapp','recipient_type':'individual',"
        + "'to':'966501234567','type':'template','template':{'name':'spring_offer','language':{'code':'ar'},"
        + "'components':[{'type':'header','parameters':[{'type':'text','text':'عرض الربيع'}]},"
        + "{'type':'body','parameters':[{'type':'text','parameter_name':'first_name','text':'Sara'},"
        + "{'type':'text','parameter_name':'discount','text':'20%'}]},"
        + "{'type':'button','sub_type':'url','index':'0','parameters':[{'type':'text','text':'spring-2026'}]},"
        + "{'type':'button','sub_type':'quick_reply','index':'1','parameters':[{'type':'payload','payload':'STOP'}]}]},"
        + "'biz_opaque_callback_data':'crmkit.campaign:7'}"));
    assertThatThrownBy(() -> OutgoingMessage.TemplateParameter.positional("")).isInstanceOf(
        IllegalArgumentException.class);
  }

  @Test
  void aTaggedSendCarriesItsTagForTheStatusCallbacks() throws IOException {
    gateway.send(SENDER, new OutgoingMessage.Text("+966501234567", "Hello"), "crmkit.reply:42");
    assertThat(received.get(0).body()).isEqualTo(json("{'messaging_product':'whatsapp','recipient_type':'individual',"
        + "'to':'966501234567','type':'text','text':{'preview_url':false,'body':'Hello'},"
        + "'biz_opaque_callback_data':'crmkit.reply:42'}"));
    assertThatThrownBy(() -> gateway.send(SENDER, new OutgoingMessage.Text("+966501234567", "Hello"), "x".repeat(513)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(received).hasSize(1);
  }

  @Test
  void aUserKnownOnlyByUsernameIsAddressedByTheirBusinessScopedId() throws IOException {
    gateway.send(SENDER, new OutgoingMessage.Text("SA.1502576394655843", "Hello"));
    gateway.send(SENDER, OutgoingMessage.Template.of("US.ENT.11815799212886844830", "order_update", "en_US", List.of()));

    assertThat(received).extracting(Received::body).containsExactly(
        json("{'messaging_product':'whatsapp','recipient_type':'individual','recipient':'SA.1502576394655843',"
            + "'type':'text','text':{'preview_url':false,'body':'Hello'}}"),
        json("{'messaging_product':'whatsapp','recipient_type':'individual','recipient':'US.ENT.11815799212886844830',"
            + "'type':'template','template':{'name':'order_update','language':{'code':'en_US'}}}"));

    status = 400;
    answer = "{\"error\":{\"message\":\"(#131062) Business-scoped User ID recipients are not supported for this"
        + " message.\",\"type\":\"OAuthException\",\"code\":131062,\"fbtrace_id\":\"Az8\"}}";
    assertThat(gateway.send(SENDER, OutgoingMessage.Template.of("SA.1502576394655843", "login_code", "en_US",
        List.of("123456")))).isInstanceOfSatisfying(SendResult.Failed.class, f -> {
          assertThat(f.failure().kind()).isEqualTo(SendFailure.Kind.REJECTED);
          assertThat(f.failure().providerCode()).isEqualTo(131062);
          assertThat(f.failure().retryable()).isFalse();
        });
  }

  @Test
  void cloudApiErrorCodesBecomeTypedFailures() {
    record Case(int status, int code, SendFailure.Kind kind, boolean retryable) {}
    for (Case c : List.of(
        new Case(400, 130429, SendFailure.Kind.RATE_LIMITED, true),
        new Case(400, 131056, SendFailure.Kind.PAIR_RATE_LIMITED, true),
        new Case(400, 131047, SendFailure.Kind.OUTSIDE_CUSTOMER_WINDOW, false),
        new Case(400, 131026, SendFailure.Kind.UNDELIVERABLE, false),
        new Case(400, 131050, SendFailure.Kind.MARKETING_OPT_OUT, false),
        new Case(401, 190, SendFailure.Kind.AUTHENTICATION, false),
        new Case(403, 200, SendFailure.Kind.AUTHENTICATION, false),
        new Case(400, 132001, SendFailure.Kind.REJECTED, false),
        new Case(500, 131000, SendFailure.Kind.PROVIDER_ERROR, false))) {
      status = c.status();
      answer = "{\"error\":{\"message\":\"(#" + c.code() + ") it failed\",\"type\":\"OAuthException\",\"code\":"
          + c.code() + ",\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":\"more detail\"},"
          + "\"fbtrace_id\":\"Az8or2yhqkZfEZ-_4Qn_Bam\"}}";
      SendResult result = gateway.send(SENDER, new OutgoingMessage.Text("+966501234567", "hi"));
      assertThat(result).as("code %d", c.code()).isInstanceOfSatisfying(SendResult.Failed.class, f -> {
        assertThat(f.failure().kind()).isEqualTo(c.kind());
        assertThat(f.failure().providerCode()).isEqualTo(c.code());
        assertThat(f.failure().retryable()).isEqualTo(c.retryable());
        assertThat(f.failure().message()).isEqualTo("(#" + c.code() + ") it failed: more detail");
      });
    }
    status = 502;
    answer = "<html>Bad gateway</html>";
    assertThat(gateway.send(SENDER, new OutgoingMessage.Text("+966501234567", "hi")))
        .isEqualTo(new SendResult.Failed(new SendFailure(SendFailure.Kind.PROVIDER_ERROR, 0, "HTTP 502")));
  }

  @Test
  void aTimeoutAfterSendingIsUnknownAndIsNotRetried() {
    delayMillis = 2_000;
    SendResult result = gateway.send(SENDER, new OutgoingMessage.Text("+966501234567", "are you there?"));
    assertThat(result).isInstanceOf(SendResult.Unknown.class);
    assertThat(received).as("sent once, never again by the gateway").hasSize(1);
  }

  @Test
  void noConnectionIsARetryableFailureAndNothingWasSent() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    CloudApiGateway nowhere = CloudApiGateway.builder().baseUri(URI.create("http://127.0.0.1:" + closed)).build();
    assertThat(nowhere.send(SENDER, new OutgoingMessage.Text("+966501234567", "hi")))
        .isInstanceOfSatisfying(SendResult.Failed.class, f -> {
          assertThat(f.failure().kind()).isEqualTo(SendFailure.Kind.CONNECTION_FAILED);
          assertThat(f.failure().retryable()).isTrue();
        });
  }

  @Test
  void badInputIsRefusedBeforeAnyRequestAndTheTokenNeverPrints() {
    assertThatThrownBy(() -> new OutgoingMessage.Text("0501234567", "hi")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("E.164");
    assertThatThrownBy(() -> new OutgoingMessage.Text("sa.1502576394655843", "hi"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("business-scoped user id");
    assertThatThrownBy(() -> new OutgoingMessage.Text("+966501234567", " ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OutgoingMessage.Template.of("+966501234567", "Order Update", "ar", List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("template name");
    assertThatThrownBy(() -> OutgoingMessage.MediaSource.link("http://insecure.example/a.png"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OutgoingMessage.Media("+966501234567", OutgoingMessage.MediaKind.AUDIO,
        OutgoingMessage.MediaSource.id("1"), Optional.of("caption"), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WhatsAppSender("+966501234567", "t")).isInstanceOf(IllegalArgumentException.class);
    assertThat(received).isEmpty();
    assertThat(SENDER.toString()).doesNotContain("EAAG").contains("106540352242922");
  }

  @Test
  void verifyingANumberAsksTheGraphApiWithTheToken() {
    answer = "{\"id\":\"106540352242922\"}";
    assertThat(gateway.verifyNumber(SENDER)).isEqualTo(NumberCheck.OWNED);
    assertThat(received).singleElement().satisfies(r -> {
      assertThat(r.method()).isEqualTo("GET");
      assertThat(r.path()).isEqualTo("/v23.0/106540352242922?fields=id");
      assertThat(r.authorization()).isEqualTo("Bearer EAAG-secret-token");
    });
    answer = "{\"id\":\"999\"}";
    assertThat(gateway.verifyNumber(SENDER)).as("another number").isEqualTo(NumberCheck.NOT_OWNED);
    status = 400;
    answer = "{\"error\":{\"message\":\"Unsupported get request.\",\"code\":100}}";
    assertThat(gateway.verifyNumber(SENDER)).isEqualTo(NumberCheck.NOT_OWNED);
    status = 401;
    assertThat(gateway.verifyNumber(SENDER)).isEqualTo(NumberCheck.NOT_OWNED);
    status = 503;
    assertThat(gateway.verifyNumber(SENDER)).isEqualTo(NumberCheck.UNKNOWN);
    status = 400;
    answer = "{\"error\":{\"message\":\"(#130429) Rate limit hit\",\"code\":130429}}";
    assertThat(gateway.verifyNumber(SENDER)).as("a rate limit says nothing about ownership")
        .isEqualTo(NumberCheck.UNKNOWN);
    answer = "{\"error\":{\"message\":\"Error validating access token\",\"type\":\"OAuthException\",\"code\":190}}";
    assertThat(gateway.verifyNumber(SENDER)).as("an expired token").isEqualTo(NumberCheck.NOT_OWNED);
    for (int code : new int[] {1, 2, 131000}) {
      answer = "{\"error\":{\"message\":\"An unknown error occurred\",\"code\":" + code + "}}";
      assertThat(gateway.verifyNumber(SENDER)).as("Graph error %s says nothing about ownership", code)
          .isEqualTo(NumberCheck.UNKNOWN);
    }
  }

  @Test
  void mediaIsFetchedInTwoStepsWithTheTokenAndStreamedIntoTheSink() {
    answer = "{\"url\":\"http://127.0.0.1:" + stub.getAddress().getPort() + "/media/abc?ext=1\",\"mime_type\":"
        + "\"image/jpeg\",\"file_size\":10,\"id\":\"1479537139650973\"}";
    StringBuilder got = new StringBuilder();
    assertThat(gateway.fetchMedia(SENDER, "1479537139650973", (mime, in) ->
        got.append(mime).append(' ').append(new String(in.readAllBytes(), StandardCharsets.UTF_8))))
        .isEqualTo(WhatsAppGateway.MediaFetch.FETCHED);
    assertThat(got.toString()).isEqualTo("image/jpeg JPEG-BYTES");
    assertThat(received).extracting(Received::method, Received::path, Received::authorization).containsExactly(
        org.assertj.core.groups.Tuple.tuple("GET", "/v23.0/1479537139650973", "Bearer EAAG-secret-token"),
        org.assertj.core.groups.Tuple.tuple("GET", "/media/abc?ext=1", "Bearer EAAG-secret-token"));
    received.clear();
    answer = "{\"url\":\"https://collector.example/steal\",\"mime_type\":\"image/jpeg\"}";
    assertThat(gateway.fetchMedia(SENDER, "1479537139650973", (mime, in) -> { }))
        .as("the token goes only to Meta's media hosts").isEqualTo(WhatsAppGateway.MediaFetch.FAILED);
    assertThat(received).hasSize(1);
    assertThat(CloudApiGateway.mediaHostAllowed("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1",
        "https://graph.facebook.com")).isTrue();
    assertThat(CloudApiGateway.mediaHostAllowed("https://fbsbx.com.evil.example/x", "https://graph.facebook.com"))
        .isFalse();
    status = 404;
    assertThat(gateway.fetchMedia(SENDER, "1479537139650973", (mime, in) -> { }))
        .isEqualTo(WhatsAppGateway.MediaFetch.GONE);
    status = 500;
    assertThat(gateway.fetchMedia(SENDER, "1479537139650973", (mime, in) -> { }))
        .isEqualTo(WhatsAppGateway.MediaFetch.FAILED);
  }
}
