package io.crmkit.whatsapp;

import static io.crmkit.whatsapp.TestWhatsApp.rows;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.crmkit.core.Crm;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.spi.Json;
import io.crmkit.whatsapp.cloudapi.CloudApiGateway;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replies that WhatsApp answers with a server error (an HTTP 5xx, Meta's 131000, a proxy's error
 * page): not known to be unsent, so {@code unknown} with the reason, never sent again, and settled
 * by the status carrying the reply's tag; a refusal (4xx) is still {@code failed}. Sent through
 * the real {@link CloudApiGateway} to a local HTTP stub that records the exact requests.
 */
class ReplyServerErrorTest {
  private static final AtomicLong NUMBERS = new AtomicLong(600_000_000_000_000L);
  private static final AtomicLong USERS = new AtomicLong(966_503_000_000L);
  private static TestWhatsApp t;
  private static WhatsAppWebhook webhook;
  private static HttpServer stub;
  private static Crm cloudApi;
  private static final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  private static volatile int status;
  private static volatile String answer;

  @BeforeAll
  static void setUp() throws IOException {
    t = TestWhatsApp.start(WhatsAppModule.builder().sessionKeys(TestWhatsApp.KEYS).gateway(new FakeWhatsAppGateway())
        .verifyToken("v").app("111", "s111").build());
    webhook = t.crm.service(WhatsAppWebhook.class);
    stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stub.createContext("/", exchange -> {
      requests.add(Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes()));
      byte[] body = answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", answer.startsWith("<") ? "text/html" : "application/json");
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    stub.start();
    cloudApi = t.crm(WhatsAppModule.builder().sessionKeys(TestWhatsApp.KEYS).gateway(CloudApiGateway.builder()
        .baseUri(URI.create("http://127.0.0.1:" + stub.getAddress().getPort())).requestTimeout(Duration.ofSeconds(5))
        .build()).build());
  }

  @AfterAll
  static void tearDown() {
    stub.stop(0);
    t.close();
  }

  @BeforeEach
  void clear() {
    requests.clear();
  }

  private record Tenant(ProvisionedOrganization org, String phoneNumberId, String from, UUID conversation) {
    /** The inbox on the Crm that sends through the Cloud API stub. */
    WhatsAppInbox inbox() {
      return TestWhatsApp.admin(cloudApi, org).service(WhatsAppInbox.class);
    }

    /** The message as the inbox lists it now. */
    WhatsAppMessage message(UUID id) {
      return inbox().messages(conversation, 10, Optional.empty()).items().stream().filter(m -> m.id().equals(id))
          .findFirst().orElseThrow();
    }

    List<String> query(String sql) throws SQLException {
      return ReplyServerErrorTest.query(org, sql);
    }
  }

  private static List<String> query(ProvisionedOrganization org, String sql) throws SQLException {
    try (Connection c = t.tenant(org.organization().id())) {
      return rows(c, sql);
    }
  }

  /** A tenant with a profile whose number a user just wrote to (the 24-hour window is open). */
  private static Tenant tenant() throws SQLException {
    ProvisionedOrganization org = t.provision();
    String phoneNumberId = Long.toString(NUMBERS.incrementAndGet());
    t.admin(org).service(WhatsAppProfiles.class).create(WhatsAppProfileDraft.builder().name("Sales")
        .phoneNumber("+966500000001").phoneNumberId(phoneNumberId).metaAppId("111").session("EAAG-token").build());
    String from = Long.toString(USERS.incrementAndGet());
    assertThat(deliver(phoneNumberId, "'contacts':[{'profile':{'name':'User'},'wa_id':'" + from + "'}],'messages':[{"
        + "'from':'" + from + "','id':'wamid." + UUID.randomUUID() + "','timestamp':'" + Instant.now().getEpochSecond()
        + "','type':'text','text':{'body':'hi'}}]")).isEqualTo(200);
    return new Tenant(org, phoneNumberId, from, UUID.fromString(query(org, "select id from crm.conversations").get(0)));
  }

  /** A signed delivery of one change to {@code phoneNumberId}; its status code. */
  private static int deliver(String phoneNumberId, String value) {
    String json = ("{'object':'whatsapp_business_account','entry':[{'id':'1','changes':[{'field':'messages','value':{"
        + "'messaging_product':'whatsapp','metadata':{'display_phone_number':'966500000001','phone_number_id':'"
        + phoneNumberId + "'}," + value + "}}]}]}").replace('\'', '"');
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return webhook.receive(body, WebhookSignature.sign("s111", body)).status();
  }

  /** A status callback carrying {@code tag} as its callback data, with an error if {@code errors} is not empty. */
  private static int status(Tenant tenant, String wamid, String state, String tag, String errors) {
    return deliver(tenant.phoneNumberId(), "'statuses':[{'id':'" + wamid + "','status':'" + state + "','timestamp':'"
        + Instant.now().getEpochSecond() + "','recipient_id':'" + tenant.from() + "','biz_opaque_callback_data':'"
        + tag + "'" + (errors.isEmpty() ? "" : ",'errors':[" + errors + "]") + "}]");
  }

  private static JsonNode json(String text) throws IOException {
    return Json.MAPPER.readTree(text.replace('\'', '"'));
  }

  @Test
  void metasSomethingWentWrongLeavesTheReplyUnknownNeverResentUntilItsStatusSettlesIt() throws Exception {
    Tenant a = tenant();
    status = 500;
    answer = "{\"error\":{\"message\":\"(#131000) Something went wrong\",\"type\":\"OAuthException\","
        + "\"code\":131000,\"fbtrace_id\":\"AbC\"}}";

    WhatsAppMessage reply = a.inbox().sendText(a.conversation(), "did it go?");

    assertThat(reply.status()).as("it may have gone out").isEqualTo("unknown");
    assertThat(reply.errorCode()).contains(131000);
    assertThat(reply.errorMessage()).contains("PROVIDER_ERROR: (#131000) Something went wrong");
    assertThat(requests).as("sent once, tagged with the reply's id").containsExactly(json("{'messaging_product':"
        + "'whatsapp','recipient_type':'individual','to':'" + a.from() + "','type':'text','text':{'preview_url':false,"
        + "'body':'did it go?'},'biz_opaque_callback_data':'crmkit.reply:" + reply.id() + "'}"));

    t.db.executeAsAdmin("update crm.messages set created_at = now() - interval '1 hour',"
        + " status_at = now() - interval '1 hour' where id = '" + reply.id() + "'");
    assertThat(cloudApi.service(WhatsAppJobs.class).resumeStalledReplies(WhatsAppJobs.MIN_STALL, 100)).isZero();
    assertThat(requests).as("never sent again").hasSize(1);
    assertThat(a.message(reply.id()).status()).isEqualTo("unknown");

    String wamid = "wamid.taken-" + UUID.randomUUID();
    assertThat(status(a, wamid, "delivered", "crmkit.reply:" + reply.id(), "")).isEqualTo(200);
    WhatsAppMessage settled = a.message(reply.id());
    assertThat(settled.status()).isEqualTo("delivered");
    assertThat(settled.waMessageId()).contains(wamid);
    assertThat(settled.errorCode()).as("WhatsApp took it: the server error no longer stands").isEmpty();
    assertThat(settled.errorMessage()).isEmpty();
    assertThat(a.query("select payload->>'status' from crm.whatsapp_events where event_type = 'message_status'"
        + " order by seq")).containsExactly("unknown", "delivered");
    assertThat(requests).hasSize(1);
  }

  @Test
  void aProxysErrorPageIsUnknownTooAndAFailedStatusSettlesIt() throws Exception {
    Tenant a = tenant();
    status = 502;
    answer = "<html><body><h1>502 Bad Gateway</h1></body></html>";

    WhatsAppMessage reply = a.inbox().sendTemplate(a.conversation(), "order_update", "ar", List.of("A-1042"));

    assertThat(reply.status()).isEqualTo("unknown");
    assertThat(reply.errorCode()).isEmpty();
    assertThat(reply.errorMessage()).contains("PROVIDER_ERROR: HTTP 502");
    assertThat(requests).hasSize(1);
    assertThat(requests.get(0).path("biz_opaque_callback_data").asText()).isEqualTo("crmkit.reply:" + reply.id());

    assertThat(status(a, "wamid.refused-" + UUID.randomUUID(), "failed", "crmkit.reply:" + reply.id(),
        "{'code':131026,'title':'Message undeliverable'}")).isEqualTo(200);
    WhatsAppMessage settled = a.message(reply.id());
    assertThat(settled.status()).isEqualTo("failed");
    assertThat(settled.errorCode()).contains(131026);
    assertThat(settled.errorMessage()).contains("Message undeliverable");
    assertThat(requests).as("never sent again").hasSize(1);
  }

  @Test
  void aRefusalIsStillFailedAndNotRetried() throws Exception {
    Tenant a = tenant();
    status = 400;
    answer = "{\"error\":{\"message\":\"(#100) Invalid parameter\",\"type\":\"OAuthException\",\"code\":100}}";

    WhatsAppMessage reply = a.inbox().sendText(a.conversation(), "refused");

    assertThat(reply.status()).isEqualTo("failed");
    assertThat(reply.errorCode()).contains(100);
    assertThat(reply.errorMessage()).contains("REJECTED: (#100) Invalid parameter");
    assertThat(requests).hasSize(1);
    assertThat(a.query("select payload->>'status' from crm.whatsapp_events where event_type = 'message_status'"))
        .containsExactly("failed");
  }
}
