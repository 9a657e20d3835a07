package io.crmkit.whatsapp;

import static io.crmkit.whatsapp.Deliveries.contact;
import static io.crmkit.whatsapp.Deliveries.quoted;
import static io.crmkit.whatsapp.Deliveries.text;
import static io.crmkit.whatsapp.TestWhatsApp.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.testdb.RowCounts;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The webhook's size cap: a body past it is refused with 413 before any signature is computed over
 * it (a wrong signature gets 413 too, never 401), one at it is stored, and a stream is read no
 * further than one byte past it.
 */
class WebhookBodyCapTest {
  private static final int CAP = 4096;
  private static TestWhatsApp t;
  private static WhatsAppWebhook webhook;

  @BeforeAll
  static void setUp() {
    t = TestWhatsApp.start(module().maxBodyBytes(CAP).build());
    webhook = t.crm.service(WhatsAppWebhook.class);
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private static WhatsAppModule.Builder module() {
    return WhatsAppModule.builder().sessionKeys(TestWhatsApp.KEYS).gateway(new FakeWhatsAppGateway())
        .verifyToken("verify-me").app(Deliveries.APP, Deliveries.SECRET);
  }

  private record Tenant(UUID id, String phoneNumberId) {}

  private static Tenant tenant() throws SQLException {
    ProvisionedOrganization org = t.provision();
    String number = Deliveries.phoneNumberId();
    t.profile(org.organization().id(), number, Deliveries.APP);
    return new Tenant(org.organization().id(), number);
  }

  /** A delivery of one text message, padded after its JSON with spaces (JSON allows them) to {@code size} bytes. */
  private static byte[] padded(Tenant tenant, String wamid, int size) {
    byte[] json = Deliveries.delivery(Deliveries.change(tenant.phoneNumberId(), contact("966501140001", quoted("Cap")),
        text(wamid, "966501140001", 1_764_000_000L, quoted("at the edge")), ""));
    assertThat(json.length).isLessThan(size);
    byte[] body = Arrays.copyOf(json, size);
    Arrays.fill(body, json.length, size, (byte) ' ');
    return body;
  }

  private static String sign(byte[] body) {
    return WebhookSignature.sign(Deliveries.SECRET, body);
  }

  private static List<String> messages(Tenant tenant) throws SQLException {
    try (Connection c = t.tenant(tenant.id())) {
      return rows(c, "select wa_message_id from crm.messages order by 1");
    }
  }

  private static Map<String, Long> rowCounts() {
    return RowCounts.of(t.db.adminDataSource(), "crm");
  }

  @Test
  void aBodyOneBytePastTheCapIsRefusedBeforeItsSignatureIsChecked() throws SQLException {
    Tenant a = tenant();
    byte[] over = padded(a, "wamid.cap-over", CAP + 1);
    Map<String, Long> before = rowCounts();
    assertThat(webhook.receive(over, sign(over))).isEqualTo(new WhatsAppWebhook.Response(413,
        "body larger than 4096 bytes"));
    assertThat(webhook.receive(over, "sha256=" + "0".repeat(64)).status())
        .as("a wrong signature is never looked at: 413, not 401").isEqualTo(413);
    assertThat(webhook.receive(over, null).status()).isEqualTo(413);
    assertThat(rowCounts()).isEqualTo(before);
  }

  @Test
  void aBodyAtTheCapIsStored() throws SQLException {
    Tenant a = tenant();
    byte[] at = padded(a, "wamid.cap-at", CAP);
    assertThat(webhook.receive(at, "sha256=" + "0".repeat(64)).status()).as("checked, and refused").isEqualTo(401);
    assertThat(webhook.receive(at, sign(at)).status()).isEqualTo(200);
    assertThat(messages(a)).containsExactly("wamid.cap-at");
  }

  /** Endless spaces, counting what was read. */
  private static final class EndlessBody extends InputStream {
    long read;

    @Override
    public int read() {
      read++;
      return ' ';
    }

    @Override
    public int read(byte[] b, int off, int len) {
      Arrays.fill(b, off, off + len, (byte) ' ');
      read += len;
      return len;
    }
  }

  @Test
  void aStreamIsReadNoFurtherThanOneBytePastTheCap() throws SQLException {
    Tenant a = tenant();
    EndlessBody endless = new EndlessBody();
    Map<String, Long> before = rowCounts();
    assertThat(webhook.receive(endless, "sha256=" + "0".repeat(64)).status()).isEqualTo(413);
    assertThat(endless.read).isEqualTo(CAP + 1);

    InputStream broken = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("the client went away");
      }
    };
    assertThat(webhook.receive(broken, null).status()).isEqualTo(400);
    assertThat(rowCounts()).isEqualTo(before);

    byte[] at = padded(a, "wamid.cap-stream", CAP);
    assertThat(webhook.receive(new ByteArrayInputStream(at), sign(at)).status()).isEqualTo(200);
    assertThat(messages(a)).containsExactly("wamid.cap-stream");
  }

  @Test
  void theDefaultCapIsFourMebibytes() throws SQLException {
    assertThat(WhatsAppWebhook.DEFAULT_MAX_BODY_BYTES).isEqualTo(4 * 1024 * 1024);
    WhatsAppWebhook byDefault = t.crm(module().build()).service(WhatsAppWebhook.class);
    Tenant a = tenant();
    byte[] over = padded(a, "wamid.default-over", WhatsAppWebhook.DEFAULT_MAX_BODY_BYTES + 1);
    assertThat(byDefault.receive(over, sign(over)).status()).isEqualTo(413);
    byte[] at = padded(a, "wamid.default-at", WhatsAppWebhook.DEFAULT_MAX_BODY_BYTES);
    assertThat(byDefault.receive(at, sign(at)).status()).isEqualTo(200);
    assertThat(messages(a)).containsExactly("wamid.default-at");
  }

  @Test
  void theCapIsCheckedWhenTheModuleIsConfigured() {
    for (int bytes : new int[] {-1, 0, 1023, 64 * 1024 * 1024 + 1, Integer.MAX_VALUE}) {
      assertThatThrownBy(() -> WhatsAppModule.builder().maxBodyBytes(bytes)).as("%d", bytes)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBodyBytes");
    }
    assertThatCode(() -> WhatsAppModule.builder().maxBodyBytes(1024).maxBodyBytes(64 * 1024 * 1024))
        .as("the bounds themselves").doesNotThrowAnyException();
  }
}
