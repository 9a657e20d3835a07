package io.crmkit.whatsapp;

import static io.crmkit.whatsapp.Deliveries.change;
import static io.crmkit.whatsapp.Deliveries.contact;
import static io.crmkit.whatsapp.Deliveries.delivery;
import static io.crmkit.whatsapp.Deliveries.quoted;
import static io.crmkit.whatsapp.Deliveries.text;
import static io.crmkit.whatsapp.TestWhatsApp.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.testdb.RowCounts;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What real traffic sends a signed webhook: control characters, broken UTF-16 (as {@code \ud800}
 * escapes), bytes that are not UTF-8, right-to-left marks, SQL metacharacters, huge and empty
 * strings, absurd numbers and shapes. Each is answered 200 and stored cleaned (right-to-left marks
 * and line breaks kept), never a failed delivery; a body that is not JSON is 400 and a bad
 * signature 401, and neither changes a row.
 */
class WebhookBadInputTest {
  private static TestWhatsApp t;
  private static WhatsAppWebhook webhook;

  @BeforeAll
  static void setUp() {
    t = TestWhatsApp.start(WhatsAppModule.builder().sessionKeys(TestWhatsApp.KEYS).gateway(new FakeWhatsAppGateway())
        .verifyToken("verify-me").app(Deliveries.APP, Deliveries.SECRET).build());
    webhook = t.crm.service(WhatsAppWebhook.class);
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private record Tenant(UUID id, String phoneNumberId) {}

  private static Tenant tenant() throws SQLException {
    ProvisionedOrganization org = t.provision();
    String number = Deliveries.phoneNumberId();
    t.profile(org.organization().id(), number, Deliveries.APP);
    return new Tenant(org.organization().id(), number);
  }

  private static WhatsAppWebhook.Response post(byte[] body) {
    return webhook.receive(body, WebhookSignature.sign(Deliveries.SECRET, body));
  }

  private static List<String> query(Tenant tenant, String sql, Object... parameters) throws SQLException {
    try (Connection c = t.tenant(tenant.id())) {
      return rows(c, sql, parameters);
    }
  }

  private static Map<String, Long> rowCounts() {
    return RowCounts.of(t.db.adminDataSource(), "crm");
  }

  @Test
  void controlCharactersAndBrokenUtf16AreTakenOutOfEveryTextAndRightToLeftMarksKept() throws SQLException {
    Tenant a = tenant();
    String from = "966501130001";
    // NUL, BEL, DEL, a C1 control (NEL), a lone high and a lone low surrogate, a right-to-left mark, tab, line break.
    String body = "\"a\\u0000b\\u0007c\\u007fd\\u0085e\\ud800f\\udc00g\\u200fh\\ttab\\nline\"";
    String name = "\"Ra\\u0000na\\nMo\\u200f\\r\\n\\ud83dX\"";
    assertThat(post(delivery(change(a.phoneNumberId(), contact(from, name),
        text("wamid.ctl\\u0000-1", from, 1_764_000_000L, body), ""))))
        .isEqualTo(new WhatsAppWebhook.Response(200, "ok"));

    String stored = "abcde\uFFFDf\uFFFDg\u200fh\ttab\nline";
    assertThat(query(a, "select wa_message_id from crm.messages")).containsExactly("wamid.ctl-1");
    assertThat(query(a, "select body from crm.messages")).containsExactly(stored);
    assertThat(query(a, "select payload->'text'->>'body' from crm.messages")).as("the raw message kept, cleaned")
        .containsExactly(stored);
    assertThat(query(a, "select last_message_preview from crm.conversations")).containsExactly(stored);
    assertThat(query(a, "select description from crm.customer_activities where activity_type = 'message'"))
        .containsExactly(stored);
    String oneLine = "Rana Mo\u200f \uFFFDX";
    assertThat(query(a, "select display_name from crm.whatsapp_contacts")).as("one line").containsExactly(oneLine);
    assertThat(query(a, "select full_name from crm.customers")).containsExactly(oneLine);
  }

  @Test
  void bytesThatAreNotUtf8BecomeReplacementCharactersAndTheRestIsStored() throws Exception {
    Tenant a = tenant();
    String from = "966501130002";
    String[] around = Deliveries.json(change(a.phoneNumberId(), contact(from, quoted("Nadia")),
        text("wamid.utf8-1", from, 1_764_000_000L, "\"ok @ here\"") + ","
            + text("wamid.utf8-2", from, 1_764_000_001L, "\"raw # control\""), "")).split("[@#]");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(around[0].getBytes(StandardCharsets.UTF_8));
    body.write(new byte[] {(byte) 0xFF, (byte) 0xC3, 0x28});   // not UTF-8: a stray byte, a truncated sequence
    body.write(around[1].getBytes(StandardCharsets.UTF_8));
    body.write(0x01);                                           // a control byte unescaped inside a string
    body.write(around[2].getBytes(StandardCharsets.UTF_8));

    assertThat(post(body.toByteArray()).status()).as("signed over these very bytes").isEqualTo(200);
    assertThat(query(a, "select body from crm.messages order by provider_timestamp"))
        .containsExactly("ok \uFFFD\uFFFD( here", "raw  control");
  }

  @Test
  void hugeTextIsStoredWholeAndAHugeNameCutToItsLimitNeverInsideACharacter() throws SQLException {
    Tenant a = tenant();
    String from = "966501130003";
    String huge = "ب".repeat(1_000_000);
    String name = "x".repeat(254) + "😀" + "y".repeat(10_000);
    assertThat(post(delivery(change(a.phoneNumberId(), contact(from, quoted(name)),
        text("wamid.huge", from, 1_764_000_000L, quoted(huge)), ""))).status()).isEqualTo(200);
    assertThat(query(a, "select length(body) || ' ' || length(last_message_preview) || ' '"
        + " || (last_message_preview like '%…') from crm.messages join crm.conversations c on c.id = conversation_id"))
        .containsExactly("1000000 200 true");
    assertThat(query(a, "select display_name from crm.whatsapp_contacts")).as("254 characters: the emoji would pass"
        + " the limit").containsExactly("x".repeat(254));
    assertThat(query(a, "select full_name from crm.customers")).containsExactly("x".repeat(254));
  }

  @Test
  void aProfileNameCrmCoreWouldRefuseLeavesTheCustomerUnnamedAndTheMessageStored() throws SQLException {
    Tenant a = tenant();
    String messages = String.join(",",
        text("wamid.noname-1", "966501130004", 1_764_000_000L, quoted("one")),
        text("wamid.noname-2", "966501130005", 1_764_000_001L, quoted("two")),
        "{\"from_user_id\":\"SA.4242\",\"id\":\"wamid.noname-3\",\"timestamp\":\"1764000002\",\"type\":\"text\","
            + "\"text\":{\"body\":\"three\"}}");
    String contacts = String.join(",", contact("966501130004", quoted("\u0000\u0007")),
        contact("966501130005", quoted(" \n\t\r ")),
        "{\"profile\":{\"name\":\"\\u0001\"},\"user_id\":\"SA.4242\"}");
    assertThat(post(delivery(change(a.phoneNumberId(), contacts, messages, ""))).status()).isEqualTo(200);
    assertThat(query(a, "select count(*) from crm.messages")).containsExactly("3");
    assertThat(query(a, "select coalesce(full_name, '-') || ' ' || coalesce(whatsapp_phone, '-') from crm.customers"
        + " order by 1")).containsExactly("- +966501130004", "- +966501130005", "WhatsApp user -");
    assertThat(query(a, "select count(*) from crm.whatsapp_contacts where display_name is null"))
        .containsExactly("3");
  }

  @Test
  void sqlMetacharactersAreJustCharacters() throws SQLException {
    Tenant a = tenant();
    String from = "966501130006";
    String body = "'; drop table crm.messages; -- %_ \\ \" $$ ) or 1=1";
    assertThat(post(delivery(change(a.phoneNumberId(), contact(from, quoted("O'Brien; --")),
        text("wamid.sql'--", from, 1_764_000_000L, quoted(body)), ""))).status()).isEqualTo(200);
    assertThat(query(a, "select wa_message_id || '|' || body from crm.messages"))
        .containsExactly("wamid.sql'--|" + body);
    assertThat(query(a, "select full_name from crm.customers")).containsExactly("O'Brien; --");
  }

  @Test
  void emptyTextAbsurdTimestampsAndOddShapesAreStoredOrSkippedNeverFailed() throws SQLException {
    Tenant a = tenant();
    String from = "966501130007";
    String messages = String.join(",",
        text("wamid.odd-empty", from, 1_000_000_000L, quoted("")),
        text("wamid.odd-blank", from, 1_000_000_001L, quoted("   ")),
        "{\"from\":\"" + from + "\",\"id\":\"wamid.odd-future\",\"timestamp\":\"99999999999999999\",\"type\":\"text\","
            + "\"text\":{\"body\":\"future\"}}",
        "{\"from\":\"" + from + "\",\"id\":\"wamid.odd-past\",\"timestamp\":\"-62135596801\",\"type\":\"text\","
            + "\"text\":{\"body\":\"past\"}}",
        "{\"from\":\"" + from + "\",\"id\":\"wamid.odd-type\",\"timestamp\":\"1000000002\",\"type\":\"\\u0000x\"}",
        "42", "null", "[]");
    String statuses = String.join(",", "\"delivered\"",
        "{\"id\":\"wamid.OUT-odd\",\"status\":\"read\",\"timestamp\":\"-1\",\"errors\":[{\"code\":-7}]}");
    assertThat(post(delivery(change(a.phoneNumberId(), contact(from, quoted("Odd")), messages, statuses))).status())
        .isEqualTo(200);
    assertThat(query(a, "select wa_message_id || ' ' || message_type || ' [' || coalesce(body, '-') || ']'"
        + " from crm.messages order by wa_message_id")).containsExactly(
            "wamid.odd-blank text [   ]", "wamid.odd-empty text [-]", "wamid.odd-future text [future]",
            "wamid.odd-past text [past]", "wamid.odd-type unsupported [-]");
    assertThat(query(a, "select wa_message_id from crm.messages where provider_timestamp"
        + " between now() - interval '1 day' and now() + interval '1 day' order by 1"))
        .as("a time no timestamptz holds is the delivery's own").containsExactly("wamid.odd-future", "wamid.odd-past");
    assertThat(query(a, "select wa_message_id || ' ' || status from crm.whatsapp_early_statuses"))
        .containsExactly("wamid.OUT-odd read");

    String notAnArray = "{\"value\":{\"metadata\":{\"phone_number_id\":\"" + a.phoneNumberId() + "\"},"
        + "\"messages\":{\"id\":\"wamid.odd-object\"},\"contacts\":\"none\"},\"field\":\"messages\"}";
    Map<String, Long> before = rowCounts();
    assertThat(post(delivery(notAnArray)).status()).isEqualTo(200);
    assertThat(rowCounts()).as("an object is no list of messages").isEqualTo(before);
  }

  @Test
  void aBodyThatIsNotJsonIs400AndABadSignature401AndNeitherChangesARow() throws SQLException {
    Tenant a = tenant();
    Map<String, Long> before = rowCounts();
    for (String notJson : List.of("", "not json at all", "{\"object\":", "\u0000", "{\"object\":\"x\"} trailing")) {
      assertThat(post(notJson.getBytes(StandardCharsets.UTF_8)).status()).as(notJson).isEqualTo(400);
    }
    for (String notWhatsApp : List.of("null", "[]", "42", "{\"object\":\"page\",\"entry\":[]}",
        "{\"object\":\"whatsapp_business_account\",\"entry\":{}}")) {
      assertThat(post(notWhatsApp.getBytes(StandardCharsets.UTF_8)).status()).as(notWhatsApp).isEqualTo(400);
    }
    byte[] good = delivery(change(a.phoneNumberId(), contact("966501130008", quoted("Sig")),
        text("wamid.sig", "966501130008", 1_764_000_000L, quoted("signed?")), ""));
    assertThat(webhook.receive(good, null).status()).isEqualTo(401);
    assertThat(webhook.receive(good, "sha256=" + "0".repeat(64)).status()).isEqualTo(401);
    assertThat(webhook.receive(good, "sha256=zz\u0000").status()).isEqualTo(401);
    assertThat(webhook.receive(good, WebhookSignature.sign("another-secret", good)).status()).isEqualTo(401);
    byte[] tampered = good.clone();
    tampered[tampered.length - 5] ^= 1;
    assertThat(webhook.receive(tampered, WebhookSignature.sign(Deliveries.SECRET, good)).status()).isEqualTo(401);
    assertThat(rowCounts()).isEqualTo(before);
  }
}
