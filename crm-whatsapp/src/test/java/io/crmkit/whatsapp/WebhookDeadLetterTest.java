package io.crmkit.whatsapp;

import static io.crmkit.whatsapp.Deliveries.contact;
import static io.crmkit.whatsapp.Deliveries.delivery;
import static io.crmkit.whatsapp.Deliveries.quoted;
import static io.crmkit.whatsapp.Deliveries.status;
import static io.crmkit.whatsapp.Deliveries.text;
import static io.crmkit.whatsapp.TestWhatsApp.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.core.DeadLetter;
import io.crmkit.core.DeadLetters;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.testdb.RowCounts;
import io.crmkit.testdb.TestPostgres;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A delivery never poisons itself: an item that fails alone, the same way on every try, is kept as
 * a dead letter of its tenant and the rest is stored and acknowledged; only a transient fault
 * answers 503. The failures are real ones of the database: a trigger the test installs as the
 * superuser refuses one message or status, and a lock another session holds outlasts the runtime
 * role's lock timeout.
 */
class WebhookDeadLetterTest {
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

  private record Tenant(ProvisionedOrganization org, String phoneNumberId, UUID profileId) {
    UUID id() {
      return org.organization().id();
    }
  }

  private static Tenant tenant() throws SQLException {
    ProvisionedOrganization org = t.provision();
    String number = Deliveries.phoneNumberId();
    return new Tenant(org, number, t.profile(org.organization().id(), number, Deliveries.APP));
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

  private static DeadLetters letters(Tenant tenant) {
    return t.admin(tenant.org()).service(DeadLetters.class);
  }

  /** Makes every insert into {@code table} whose wa_message_id is {@code wamid} fail, as a defect would. */
  private static void poison(String table, String wamid) {
    t.db.executeAsAdmin("create function crm.test_poison_" + table + "() returns trigger language plpgsql as $$ begin"
        + " if new.wa_message_id = '" + wamid + "' then raise exception 'poisoned by the test'; end if;"
        + " return new; end $$");
    t.db.executeAsAdmin("create trigger test_poison_" + table + " before insert on crm." + table
        + " for each row execute function crm.test_poison_" + table + "()");
  }

  /** The defect fixed: inserts into {@code table} work again. */
  private static void cure(String table) {
    t.db.executeAsAdmin("drop trigger test_poison_" + table + " on crm." + table);
    t.db.executeAsAdmin("drop function crm.test_poison_" + table + "()");
  }

  @Test
  void ofThreeMessagesTheFirstAndThirdAreStoredAndTheSecondWhichAlwaysFailsIsADeadLetter() throws Exception {
    Tenant a = tenant();
    String from = "966501120001";
    byte[] body = delivery(Deliveries.change(a.phoneNumberId(), contact(from, quoted("Poe")),
        text("wamid.three1", from, 1_764_000_001L, quoted("first")) + ","
            + text("wamid.three2", from, 1_764_000_002L, quoted("second")) + ","
            + text("wamid.three3", from, 1_764_000_003L, quoted("third")), ""));
    poison("messages", "wamid.three2");
    try {
      assertThat(post(body).status()).as("everything that can be stored is stored").isEqualTo(200);
      assertThat(query(a, "select body from crm.messages order by provider_timestamp"))
          .containsExactly("first", "third");
      assertThat(query(a, "select source || ' ' || item_key || ' ' || attempts || ' ' || reason from crm.dead_letters"))
          .containsExactly("whatsapp.webhook message:wamid.three2 1"
              + " ServerFaultException: server fault: database error (SQLSTATE P0001)");
      assertThat(query(a, "select concat_ws(' ', item->>'profile_id', item->'value'->'metadata'->>'phone_number_id',"
          + " item->'value'->'contacts'->0->'profile'->>'name', item->'value'->'messages'->0->>'id',"
          + " item->'value'->'messages'->0->'text'->>'body', jsonb_array_length(item->'value'->'messages'))"
          + " from crm.dead_letters")).as("the raw item, with what its replay needs")
          .containsExactly(a.profileId() + " " + a.phoneNumberId() + " Poe wamid.three2 second 1");

      Map<String, Long> before = rowCounts();
      assertThat(post(body).status()).as("Meta delivers again").isEqualTo(200);
      assertThat(rowCounts()).as("a redelivery changes nothing, dead letters included").isEqualTo(before);
      assertThat(query(a, "select attempts from crm.dead_letters")).containsExactly("1");
    } finally {
      cure("messages");
    }

    // The defect fixed: the operator replays the letter.
    DeadLetter letter = letters(a).list(10, Optional.empty()).items().get(0);
    assertThat(letter.key()).isEqualTo("message:wamid.three2");
    assertThat(letters(a).replay(letter.id())).as("stored, and the letter gone").isEmpty();
    assertThat(query(a, "select body from crm.messages order by provider_timestamp"))
        .containsExactly("first", "second", "third");
    assertThat(query(a, "select count(*) from crm.dead_letters")).containsExactly("0");
    assertThat(query(a, "select unread_count || ' ' || last_message_preview from crm.conversations"))
        .containsExactly("3 third");
    assertThat(query(a, "select count(*) from crm.customer_activities where activity_type = 'message'"))
        .containsExactly("3");
    assertThat(post(body).status()).isEqualTo(200);
    assertThat(query(a, "select count(*) from crm.messages")).as("and once only").containsExactly("3");
  }

  @Test
  void aLetterWhoseItemALaterRedeliveryStoredReplaysAsNothingAndIsGone() throws Exception {
    Tenant a = tenant();
    String from = "966501120004";
    byte[] body = delivery(Deliveries.change(a.phoneNumberId(), contact(from, quoted("Ray")),
        text("wamid.later", from, 1_764_000_001L, quoted("later")), ""));
    poison("messages", "wamid.later");
    try {
      assertThat(post(body).status()).isEqualTo(200);
    } finally {
      cure("messages");
    }
    assertThat(post(body).status()).as("Meta delivers again after the fix").isEqualTo(200);
    assertThat(query(a, "select body from crm.messages")).containsExactly("later");
    DeadLetter letter = letters(a).list(10, Optional.empty()).items().get(0);
    Map<String, Long> before = rowCounts();
    assertThat(letters(a).replay(letter.id())).isEmpty();
    assertThat(query(a, "select count(*) from crm.dead_letters")).containsExactly("0");
    before.merge("dead_letters", -1L, Long::sum);
    assertThat(rowCounts()).as("nothing stored twice; only the letter gone").isEqualTo(before);
  }

  @Test
  void aMessageWithoutAnIdOrASenderIsADeadLetterAndTheMessageBesideItStored() throws Exception {
    Tenant a = tenant();
    String from = "966501120003";
    byte[] body = delivery(Deliveries.change(a.phoneNumberId(), "",
        text("", from, 1_764_000_001L, quoted("no id")) + ","
            + text("wamid.nobody-sent", "", 1_764_000_002L, quoted("no sender")) + ","
            + text("wamid.fine", from, 1_764_000_003L, quoted("fine")), ""));
    assertThat(post(body).status()).isEqualTo(200);
    assertThat(query(a, "select body from crm.messages")).containsExactly("fine");
    assertThat(query(a, "select reason || ' ' || (item->'value'->'messages'->0->'text'->>'body') from crm.dead_letters"
        + " order by reason")).containsExactly(
            "ValidationException: message.from: names neither a phone nor a business-scoped user id no sender",
            "ValidationException: message.id: is missing or longer than 256 characters no id");
    assertThat(query(a, "select item_key from crm.dead_letters order by item_key")).hasSize(2)
        .anySatisfy(key -> assertThat(key).startsWith("message:no-id:"))
        .contains("message:wamid.nobody-sent");
    Map<String, Long> before = rowCounts();
    assertThat(post(body).status()).as("Meta delivers again").isEqualTo(200);
    assertThat(rowCounts()).as("no second letter for either").isEqualTo(before);
  }

  @Test
  void aStatusThatFailsAloneIsKeptAndTheMessageBesideItStored() throws Exception {
    Tenant a = tenant();
    String from = "966501120002";
    byte[] body = delivery(Deliveries.change(a.phoneNumberId(), contact(from, quoted("Sam")),
        text("wamid.beside1", from, 1_764_000_000L, quoted("hello")), status("wamid.OUT-poison", "delivered",
            1_764_000_100L)));
    poison("whatsapp_early_statuses", "wamid.OUT-poison");
    try {
      assertThat(post(body).status()).isEqualTo(200);
      assertThat(query(a, "select body from crm.messages")).containsExactly("hello");
      assertThat(query(a, "select item_key || ' ' || (item->'value'->'statuses'->0->>'status') from crm.dead_letters"))
          .containsExactly("status:wamid.OUT-poison:delivered:1764000100 delivered");
      Map<String, Long> before = rowCounts();
      assertThat(post(body).status()).isEqualTo(200);
      assertThat(rowCounts()).isEqualTo(before);
    } finally {
      cure("whatsapp_early_statuses");
    }
    DeadLetter letter = letters(a).list(10, Optional.empty()).items().get(0);
    assertThat(letters(a).replay(letter.id())).isEmpty();
    assertThat(query(a, "select wa_message_id || ' ' || status from crm.whatsapp_early_statuses"))
        .containsExactly("wamid.OUT-poison delivered");
  }

  @Test
  void aLetterOfAProfileThatLostItsProofStaysUntilTheProfileReceivesItsNumberAgain() throws Exception {
    Tenant a = tenant();
    String from = "966501120003";
    byte[] body = delivery(Deliveries.change(a.phoneNumberId(), contact(from, quoted("Ola")),
        text("wamid.proof1", from, 1_764_000_000L, quoted("later")), ""));
    poison("messages", "wamid.proof1");
    try {
      assertThat(post(body).status()).isEqualTo(200);
    } finally {
      cure("messages");
    }
    t.db.executeAsAdmin("update crm.whatsapp_profiles set verified_at = null where id = '" + a.profileId() + "'");
    DeadLetter letter = letters(a).list(10, Optional.empty()).items().get(0);

    DeadLetter still = letters(a).replay(letter.id()).orElseThrow();
    assertThat(still.attempts()).isEqualTo(2);
    assertThat(still.reason()).startsWith("ValidationException: profile_id: the profile is deactivated or no longer"
        + " proven");
    assertThat(query(a, "select count(*) from crm.messages")).containsExactly("0");

    t.db.executeAsAdmin("update crm.whatsapp_profiles set verified_at = clock_timestamp() where id = '"
        + a.profileId() + "'");
    assertThat(letters(a).replay(letter.id())).isEmpty();
    assertThat(query(a, "select body from crm.messages")).containsExactly("later");
  }

  @Test
  void aTransientFaultAnswers503StoresNothingOfTheChangeAndTheRedeliveryStoresItOnce() throws Exception {
    Tenant a = tenant();
    String from = "966501120004";
    byte[] body = delivery(Deliveries.change(a.phoneNumberId(), contact(from, quoted("Lin")),
        text("wamid.busy1", from, 1_764_000_001L, quoted("one")) + ","
            + text("wamid.busy2", from, 1_764_000_002L, quoted("two")), ""));
    String database = "\"" + t.db.name().replace("\"", "\"\"") + "\"";
    // The runtime role's new connections give up waiting for a lock after a while (SQLSTATE 55P03).
    t.db.executeAsAdmin("alter role " + TestPostgres.RUNTIME_ROLE + " in database " + database
        + " set lock_timeout = '200ms'");
    try (Connection holder = t.db.adminDataSource().getConnection()) {
      // Another session holds the advisory lock the delivery takes on wamid.busy2 (InboundMessages.WAMID_LOCK).
      rows(holder, "select pg_advisory_lock(hashtextextended('crmkit.whatsapp.wamid:wamid.busy2', 0))::text");
      Map<String, Long> before = rowCounts();
      assertThat(post(body).status()).as("Meta is to deliver it again").isEqualTo(503);
      assertThat(rowCounts()).as("nothing of the change, and no dead letter").isEqualTo(before);
      rows(holder, "select pg_advisory_unlock(hashtextextended('crmkit.whatsapp.wamid:wamid.busy2', 0))::text");
    } finally {
      t.db.executeAsAdmin("alter role " + TestPostgres.RUNTIME_ROLE + " in database " + database
          + " reset lock_timeout");
    }
    assertThat(post(body).status()).isEqualTo(200);
    assertThat(query(a, "select body from crm.messages order by provider_timestamp")).containsExactly("one", "two");
    Map<String, Long> stored = rowCounts();
    assertThat(post(body).status()).isEqualTo(200);
    assertThat(rowCounts()).as("stored once").isEqualTo(stored);
  }
}
