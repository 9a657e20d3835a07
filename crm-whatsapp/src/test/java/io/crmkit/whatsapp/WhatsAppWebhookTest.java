package io.crmkit.whatsapp;

import static io.crmkit.whatsapp.TestWhatsApp.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.customers.CustomerSource;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Signed deliveries built the way Meta builds them, against a real database. */
class WhatsAppWebhookTest {
  private static final String APP = "111";
  private static final String SECRET = "app-secret-111";
  private static final String OTHER_APP = "222";
  private static final String OTHER_SECRET = "app-secret-222";
  private static final AtomicLong NUMBERS = new AtomicLong(400_000_000_000_000L);
  private static final List<WhatsAppEvent> HEARD = new CopyOnWriteArrayList<>();
  private static TestWhatsApp t;
  private static WhatsAppWebhook webhook;

  @BeforeAll
  static void setUp() {
    t = TestWhatsApp.start(WhatsAppModule.builder().sessionKeys(TestWhatsApp.KEYS).gateway(new FakeWhatsAppGateway())
        .listener(HEARD::add).verifyToken("verify-me").app(APP, SECRET).app(OTHER_APP, OTHER_SECRET).build());
    webhook = t.crm.service(WhatsAppWebhook.class);
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  /** A tenant with one profile of app 111; returns (organization, phone number id). */
  private record Tenant(ProvisionedOrganization org, String phoneNumberId) {
    UUID id() {
      return org.organization().id();
    }
  }

  private static Tenant tenant() throws SQLException {
    ProvisionedOrganization org = t.provision();
    String number = Long.toString(NUMBERS.incrementAndGet());
    t.profile(org.organization().id(), number, APP);
    return new Tenant(org, number);
  }

  private static String change(String phoneNumberId, String contacts, String messages, String statuses) {
    return ("{'value':{'messaging_product':'whatsapp','metadata':{'display_phone_number':'15550783881',"
        + "'phone_number_id':'" + phoneNumberId + "'},'contacts':[" + contacts + "],'messages':[" + messages + "],"
        + "'statuses':[" + statuses + "]},'field':'messages'}").replace('\'', '"');
  }

  private static byte[] delivery(String... changes) {
    return ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":["
        + String.join(",", changes) + "]}]}").getBytes(StandardCharsets.UTF_8);
  }

  private static WhatsAppWebhook.Response post(byte[] body) {
    return webhook.receive(body, WebhookSignature.sign(SECRET, body));
  }

  private static String contact(String waId, String name) {
    return "{'profile':{'name':'" + name + "'},'wa_id':'" + waId + "'}";
  }

  private static String text(String id, String from, long timestamp, String body) {
    return "{'from':'" + from + "','id':'" + id + "','timestamp':'" + timestamp + "','type':'text','text':{'body':'"
        + body + "'}}";
  }

  /** The events of {@code type} the tenant's listeners heard, in order. */
  private static <E extends WhatsAppEvent> List<E> heard(Tenant tenant, Class<E> type) {
    return HEARD.stream().filter(e -> e.organizationId().equals(tenant.id())).filter(type::isInstance).map(type::cast)
        .toList();
  }

  private static List<String> query(Tenant tenant, String sql, Object... parameters) throws SQLException {
    try (Connection c = t.tenant(tenant.id())) {
      return rows(c, sql, parameters);
    }
  }

  @Test
  void theHandshakeEchoesTheChallengeOnlyForOurToken() {
    assertThat(webhook.verify("subscribe", "verify-me", "1158201444")).isEqualTo(new WhatsAppWebhook.Response(200,
        "1158201444"));
    assertThat(webhook.verify("subscribe", "guess", "1158201444").status()).isEqualTo(403);
    assertThat(webhook.verify("unsubscribe", "verify-me", "1158201444").status()).isEqualTo(403);
    assertThat(webhook.verify("subscribe", null, "1158201444").status()).isEqualTo(403);
  }

  @Test
  void anUnsignedOrForgedDeliveryStoresNothing() throws SQLException {
    Tenant a = tenant();
    byte[] body = delivery(change(a.phoneNumberId(), contact("966501110001", "Ali"),
        text("wamid.forged1", "966501110001", 1_764_000_000L, "hi"), ""));
    assertThat(webhook.receive(body, null).status()).isEqualTo(401);
    assertThat(webhook.receive(body, WebhookSignature.sign("not-our-secret", body)).status()).isEqualTo(401);
    assertThat(webhook.receive(body, "sha256=" + "0".repeat(64)).status()).isEqualTo(401);
    byte[] malformed = "{\"object\":".getBytes(StandardCharsets.UTF_8);
    assertThat(post(malformed).status()).isEqualTo(400);
    byte[] other = "{\"object\":\"page\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8);
    assertThat(post(other).status()).isEqualTo(400);
    assertThat(query(a, "select count(*) from crm.messages")).containsExactly("0");
  }

  @Test
  void anotherAppsValidSignatureCannotWriteIntoATenantItDoesNotServe() throws SQLException {
    Tenant a = tenant();
    byte[] body = delivery(change(a.phoneNumberId(), contact("966501110002", "Ali"),
        text("wamid.crossapp1", "966501110002", 1_764_000_000L, "hi"), ""));
    assertThat(webhook.receive(body, WebhookSignature.sign(OTHER_SECRET, body)).status())
        .as("acknowledged, so Meta stops, and logged").isEqualTo(200);
    assertThat(query(a, "select count(*) from crm.messages")).containsExactly("0");
    assertThat(post(body).status()).isEqualTo(200);
    assertThat(query(a, "select count(*) from crm.messages")).as("the right app's delivery lands").containsExactly("1");
  }

  @Test
  void anInboundTextCreatesContactConversationCustomerMessageAndActivityOnce() throws SQLException {
    Tenant a = tenant();
    Tenant b = tenant();
    byte[] body = delivery(change(a.phoneNumberId(), contact("966501110003", "Sara"),
        text("wamid.in1", "966501110003", 1_764_000_000L, "السلام عليكم"), ""));
    assertThat(post(body).status()).isEqualTo(200);
    assertThat(post(body).status()).as("Meta delivers again").isEqualTo(200);

    assertThat(query(a, "select c.wa_phone || ' ' || c.display_name || ' ' || cu.whatsapp_phone || ' ' || cu.source"
        + " || ' ' || cu.full_name from crm.whatsapp_contacts c join crm.customers cu on cu.id = c.customer_id"))
        .containsExactly("+966501110003 Sara +966501110003 whatsapp Sara");
    assertThat(query(a, "select unread_count || ' ' || last_message_preview || ' ' || (customer_id is not null)"
        + " || ' ' || extract(epoch from last_inbound_at)::bigint from crm.conversations"))
        .containsExactly("1 السلام عليكم true 1764000000");
    assertThat(query(a, "select message_type || ' ' || body || ' ' || status from crm.messages"))
        .containsExactly("text السلام عليكم received");
    assertThat(query(a, "select activity_type || ' ' || description || ' ' || (metadata->>'wa_message_id')"
        + " from crm.customer_activities where activity_type = 'message'"))
        .as("one activity despite the redelivery").containsExactly("message السلام عليكم wamid.in1");
    assertThat(query(b, "select count(*) from crm.messages")).as("never in another tenant").containsExactly("0");
  }

  @Test
  void phonesAreReadAsInternationalAndMatchExistingCustomersWrittenAnyWay() throws SQLException {
    Tenant a = tenant();
    Customer known = t.admin(a.org()).customers().create(CustomerDraft.builder().fullName("Known Customer")
        .whatsappPhone("050 111 0004").build());
    post(delivery(change(a.phoneNumberId(), contact("966501110004", "Known"),
        text("wamid.known1", "966501110004", 1_764_000_000L, "hello again"), "")));
    post(delivery(change(a.phoneNumberId(), contact("971501234567", "Visitor"),
        text("wamid.uae1", "971501234567", 1_764_000_001L, "from Dubai"), "")));

    assertThat(query(a, "select count(*) from crm.customers")).as("the known one, and the visitor").containsExactly("2");
    assertThat(query(a, "select cv.customer_id from crm.conversations cv join crm.whatsapp_contacts c"
        + " on c.id = cv.contact_id where c.wa_phone = '+966501110004'")).containsExactly(known.id().toString());
    assertThat(t.admin(a.org()).customers().findByPhone("+971501234567")).as("not +966971…")
        .get().extracting(Customer::source).isEqualTo(CustomerSource.WHATSAPP);
  }

  @Test
  void aUsernameOnlyUserIsKnownByTheirBusinessScopedId() throws SQLException {
    Tenant a = tenant();
    String bsuidContact = "{'profile':{'name':'Bob','username':'@bob'},'user_id':'SA.1502576394655843'}";
    String first = "{'from_user_id':'SA.1502576394655843','id':'wamid.bsuid1','timestamp':'1764000000','type':'text',"
        + "'text':{'body':'no phone here'}}";
    String second = "{'from_user_id':'SA.1502576394655843','id':'wamid.bsuid2','timestamp':'1764000005','type':'text',"
        + "'text':{'body':'still me'}}";
    assertThat(post(delivery(change(a.phoneNumberId(), bsuidContact, first, ""))).status()).isEqualTo(200);
    assertThat(post(delivery(change(a.phoneNumberId(), bsuidContact, second, ""))).status()).isEqualTo(200);

    assertThat(query(a, "select bsuid || ' ' || coalesce(wa_phone, '-') || ' ' || username || ' ' || display_name"
        + " from crm.whatsapp_contacts")).containsExactly("SA.1502576394655843 - @bob Bob");
    assertThat(query(a, "select count(*) || ' ' || sum(unread_count) from crm.conversations")).containsExactly("1 2");
    assertThat(query(a, "select full_name || ' ' || coalesce(whatsapp_phone, '-') from crm.customers"))
        .containsExactly("Bob -");
  }

  @Test
  void atTheCustomerLimitTheMessageIsStoredWithoutACustomer() throws SQLException {
    Tenant a = tenant();
    t.crm.platform().setCustomLimit(a.id(), Limit.CUSTOMERS, OptionalLong.of(0));
    assertThat(post(delivery(change(a.phoneNumberId(), contact("966501110005", "Late"),
        text("wamid.limit1", "966501110005", 1_764_000_000L, "anyone?"), ""))).status()).isEqualTo(200);
    assertThat(query(a, "select count(*) from crm.messages")).containsExactly("1");
    assertThat(query(a, "select (customer_id is null) || ' ' || unread_count from crm.conversations"))
        .containsExactly("true 1");
    assertThat(query(a, "select count(*) from crm.customers")).containsExactly("0");
    assertThat(query(a, "select event_type from crm.whatsapp_events order by seq"))
        .as("the breach is reported to workflows").containsExactly("customer_limit_reached", "message_received");
    assertThat(query(a, "select (payload->>'limit') || ' ' || (payload->>'value') from crm.whatsapp_events"
        + " where event_type = 'customer_limit_reached'")).containsExactly("max_customers 0");
    assertThat(heard(a, WhatsAppEvent.CustomerLimitReached.class)).singleElement().satisfies(e -> {
      assertThat(e.limit()).isEqualTo(Limit.CUSTOMERS);
      assertThat(e.value()).isZero();
      assertThat(e.plan()).isEqualTo("professional");
    });
    assertThat(heard(a, WhatsAppEvent.MessageReceived.class)).singleElement()
        .satisfies(e -> assertThat(e.customerId()).as("kept without a customer").isEmpty());
  }

  @Test
  void oneDeliveryCanCarrySeveralTenantsAndALateOlderMessageNeverMovesTheInboxBack() throws SQLException {
    Tenant a = tenant();
    Tenant b = tenant();
    assertThat(post(delivery(
        change(a.phoneNumberId(), contact("966501110006", "A"), text("wamid.multiA", "966501110006", 1_764_000_100L,
            "newer"), ""),
        change(b.phoneNumberId(), contact("966501110007", "B"), text("wamid.multiB", "966501110007", 1_764_000_000L,
            "to b"), ""))).status()).isEqualTo(200);
    post(delivery(change(a.phoneNumberId(), contact("966501110006", "A"),
        text("wamid.lateA", "966501110006", 1_764_000_050L, "older, arriving late"), "")));

    assertThat(query(a, "select last_message_preview || ' ' || extract(epoch from last_message_at)::bigint || ' '"
        + " || unread_count from crm.conversations")).containsExactly("newer 1764000100 2");
    assertThat(query(b, "select body from crm.messages")).containsExactly("to b");
  }

  @Test
  void everyInboundTypeIsStored() throws SQLException {
    Tenant a = tenant();
    String from = "966501110008";
    String messages = String.join(",",
        "{'from':'" + from + "','id':'wamid.t-image','timestamp':'1764000001','type':'image','image':{'caption':'receipt',"
            + "'mime_type':'image/jpeg','sha256':'abc','id':'1479537139650973'}}",
        "{'from':'" + from + "','id':'wamid.t-audio','timestamp':'1764000002','type':'audio','audio':{'mime_type':"
            + "'audio/ogg; codecs=opus','id':'2','voice':true}}",
        "{'from':'" + from + "','id':'wamid.t-video','timestamp':'1764000003','type':'video','video':{'mime_type':"
            + "'video/mp4','id':'3'}}",
        "{'from':'" + from + "','id':'wamid.t-doc','timestamp':'1764000004','type':'document','document':{'filename':"
            + "'invoice.pdf','mime_type':'application/pdf','id':'4'}}",
        "{'from':'" + from + "','id':'wamid.t-sticker','timestamp':'1764000005','type':'sticker','sticker':{'mime_type':"
            + "'image/webp','id':'5','animated':false}}",
        "{'from':'" + from + "','id':'wamid.t-location','timestamp':'1764000006','type':'location','location':{"
            + "'latitude':24.7136,'longitude':46.6753,'name':'Kingdom Centre','address':'Riyadh'}}",
        "{'from':'" + from + "','id':'wamid.t-contacts','timestamp':'1764000007','type':'contacts','contacts':[{'name':"
            + "{'formatted_name':'Omar'},'phones':[{'phone':'+966500000000'}]}]}",
        "{'from':'" + from + "','id':'wamid.t-reaction','timestamp':'1764000008','type':'reaction','reaction':{"
            + "'message_id':'wamid.t-image','emoji':'👍'}}",
        "{'from':'" + from + "','id':'wamid.t-interactive','timestamp':'1764000009','type':'interactive','interactive':{"
            + "'type':'button_reply','button_reply':{'id':'yes','title':'Yes, please'}}}",
        "{'from':'" + from + "','id':'wamid.t-button','timestamp':'1764000010','type':'button','button':{'payload':'P',"
            + "'text':'Track order'}}",
        "{'from':'" + from + "','id':'wamid.t-reply','timestamp':'1764000011','type':'text','context':{'from':'15550783881',"
            + "'id':'wamid.OUT-earlier'},'text':{'body':'about that'}}",
        "{'from':'" + from + "','id':'wamid.t-unsupported','timestamp':'1764000012','type':'unsupported','errors':[{"
            + "'code':131051,'title':'Message type unknown'}]}");
    assertThat(post(delivery(change(a.phoneNumberId(), contact(from, "Types"), messages, ""))).status()).isEqualTo(200);

    assertThat(query(a, "select message_type || '|' || coalesce(body, '') || '|' || coalesce(context_wa_message_id, '')"
        + " || '|' || coalesce(media_id, '') || '|' || coalesce(media_mime_type, '') || '|' || coalesce(media_filename, '')"
        + " from crm.messages order by provider_timestamp")).containsExactly(
            "image|receipt||1479537139650973|image/jpeg|",
            "audio|||2|audio/ogg; codecs=opus|",
            "video|||3|video/mp4|",
            "document|||4|application/pdf|invoice.pdf",
            "sticker|||5|image/webp|",
            "location|Kingdom Centre, Riyadh (24.7136, 46.6753)||||",
            "contacts|||||",
            "reaction|👍|wamid.t-image|||",
            "interactive|Yes, please||||",
            "button|Track order||||",
            "text|about that|wamid.OUT-earlier|||",
            "unsupported|Message type unknown||||");
    assertThat(query(a, "select payload->'contacts'->0->'name'->>'formatted_name' from crm.messages"
        + " where message_type = 'contacts'")).as("the whole message is kept").containsExactly("Omar");
    assertThat(query(a, "select unread_count || ' ' || last_message_preview from crm.conversations"))
        .containsExactly("12 Message type unknown");
  }

  @Test
  void statusesOnlyMoveForwardWhateverOrderTheyArriveIn() throws SQLException {
    Tenant a = tenant();
    post(delivery(change(a.phoneNumberId(), contact("966501110009", "S"),
        text("wamid.s-in", "966501110009", 1_764_000_000L, "hi"), "")));
    try (Connection c = t.tenant(a.id())) {
      String conversation = rows(c, "select id from crm.conversations").get(0);
      for (String id : List.of("wamid.OUT-1", "wamid.OUT-2")) {
        rows(c, "insert into crm.messages (organization_id, conversation_id, direction, wa_message_id, message_type,"
            + " body, status) values (?, ?::uuid, 'outbound', ?, 'text', 'reply', 'sent') returning id", a.id(),
            conversation, id);
      }
      c.commit();
    }
    String read = "{'id':'wamid.OUT-1','status':'read','timestamp':'1764000020','recipient_id':'966501110009'}";
    String delivered = "{'id':'wamid.OUT-1','status':'delivered','timestamp':'1764000010','recipient_id':'966501110009',"
        + "'pricing':{'billable':true,'pricing_model':'PMP','category':'service'}}";
    String failed = "{'id':'wamid.OUT-2','status':'failed','timestamp':'1764000030','recipient_id':'966501110009',"
        + "'errors':[{'code':131047,'title':'Re-engagement message'}]}";
    String unknown = "{'id':'wamid.NEVER-SENT','status':'delivered','timestamp':'1764000030','recipient_id':'1'}";
    assertThat(post(delivery(change(a.phoneNumberId(), "", "", read))).status()).isEqualTo(200);
    assertThat(post(delivery(change(a.phoneNumberId(), "", "", delivered + "," + failed + "," + unknown))).status())
        .isEqualTo(200);

    assertThat(query(a, "select wa_message_id || ' ' || status || ' ' || coalesce(error_code::text, '-') || ' '"
        + " || coalesce(error_message, '-') || ' ' || coalesce(pricing->>'category', '-') from crm.messages"
        + " where direction = 'outbound' order by wa_message_id")).containsExactly(
            "wamid.OUT-1 read - - service", "wamid.OUT-2 failed 131047 Re-engagement message -");
  }

  @Test
  void concurrentDeliveriesFromOneNewUserMakeOneContactConversationAndCustomer() throws Exception {
    Tenant a = tenant();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Integer>> statuses = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        byte[] body = delivery(change(a.phoneNumberId(), contact("966501110011", "Rush"),
            text("wamid.rush" + i, "966501110011", 1_764_000_000L + i, "message " + i), ""));
        statuses.add(pool.submit(() -> {
          start.await();
          return post(body).status();
        }));
      }
      start.countDown();
      for (java.util.concurrent.Future<Integer> status : statuses) {
        assertThat(status.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(query(a, "select (select count(*) from crm.whatsapp_contacts) || ' ' || (select count(*) from"
        + " crm.conversations) || ' ' || (select count(*) from crm.customers) || ' ' || (select count(*) from"
        + " crm.messages) || ' ' || (select unread_count from crm.conversations) || ' ' || (select count(*) from"
        + " crm.customer_activities where activity_type = 'message')")).containsExactly("1 1 1 8 8 8");
  }

  @Test
  void aUserSeenByPhoneAndSeparatelyByBsuidNeverFailsTheDelivery() throws SQLException {
    Tenant a = tenant();
    post(delivery(change(a.phoneNumberId(), contact("966501110012", "Phone"),
        text("wamid.split1", "966501110012", 1_764_000_000L, "by phone"), "")));
    post(delivery(change(a.phoneNumberId(), "{'profile':{'name':'Id'},'user_id':'SA.777'}",
        "{'from_user_id':'SA.777','id':'wamid.split2','timestamp':'1764000001','type':'text','text':{'body':'by id'}}",
        "")));
    WhatsAppWebhook.Response both = post(delivery(change(a.phoneNumberId(),
        "{'profile':{'name':'Both'},'user_id':'SA.777','wa_id':'966501110012'}",
        "{'from':'966501110012','from_user_id':'SA.777','id':'wamid.split3','timestamp':'1764000002','type':'text',"
            + "'text':{'body':'both'}}", "")));
    assertThat(both.status()).as("not a 500 that Meta would repeat for days").isEqualTo(200);
    assertThat(query(a, "select count(*) from crm.messages")).containsExactly("3");
    assertThat(query(a, "select coalesce(bsuid, '-') || ' ' || coalesce(wa_phone, '-') from crm.whatsapp_contacts"
        + " order by created_at")).containsExactly("- +966501110012", "SA.777 -");
  }

  @Test
  void aChangedNumberMovesTheContactAndIsNotAnUnreadMessage() throws SQLException {
    Tenant a = tenant();
    post(delivery(change(a.phoneNumberId(), contact("966501110013", "Mover"),
        text("wamid.move1", "966501110013", 1_764_000_000L, "hi"), "")));
    post(delivery(change(a.phoneNumberId(), contact("966501110013", "Mover"),
        "{'from':'966501110013','id':'wamid.move2','timestamp':'1764000100','type':'system','system':{'body':"
            + "'User A changed from 966501110013 to 966501110099','wa_id':'966501110099','type':'user_changed_number'}}",
        "")));
    assertThat(query(a, "select wa_phone from crm.whatsapp_contacts")).containsExactly("+966501110099");
    assertThat(query(a, "select unread_count || ' ' || extract(epoch from last_inbound_at)::bigint"
        + " from crm.conversations")).containsExactly("1 1764000000");
    assertThat(query(a, "select message_type from crm.messages order by provider_timestamp"))
        .containsExactly("text", "system");
    // The first message again, from the number the user left: stored before, so nothing is made for that number.
    post(delivery(change(a.phoneNumberId(), contact("966501110013", "Mover"),
        text("wamid.move1", "966501110013", 1_764_000_000L, "hi"), "")));
    assertThat(query(a, "select count(*) || ' ' || (select count(*) from crm.conversations)"
        + " from crm.whatsapp_contacts")).containsExactly("1 1");
  }

  private static String byUserId(String id, String userId, long timestamp, String body) {
    return "{'from_user_id':'" + userId + "','id':'" + id + "','timestamp':'" + timestamp + "','type':'text','text':{"
        + "'body':'" + body + "'}}";
  }

  @Test
  void aChangedUserIdKeepsTheContactItsConversationAndCustomer() throws SQLException {
    Tenant a = tenant();
    String bob = "{'profile':{'name':'Bob','username':'@bob'},'user_id':'SA.100'}";
    post(delivery(change(a.phoneNumberId(), bob, byUserId("wamid.uid1", "SA.100", 1_764_000_000L, "first"), "")));
    // As Meta sends it: no contacts array; the notice names the id before the change.
    String notice = "{'from_user_id':'SA.200','id':'wamid.uid2','timestamp':'1764000100','type':'system','system':{"
        + "'body':'User Bob changed their user id','previous_user_id':'SA.100','type':'user_changed_user_id'}}";
    assertThat(post(delivery(change(a.phoneNumberId(), "", notice, ""))).status()).isEqualTo(200);
    assertThat(query(a, "select bsuid || ' ' || previous_bsuid from crm.whatsapp_contacts"))
        .containsExactly("SA.200 SA.100");

    post(delivery(change(a.phoneNumberId(), bob.replace("SA.100", "SA.200"),
        byUserId("wamid.uid3", "SA.200", 1_764_000_200L, "after"), "")));
    // Written before the change, delivered after it (Meta retries for days).
    post(delivery(change(a.phoneNumberId(), bob, byUserId("wamid.uid0", "SA.100", 1_764_000_050L, "late"), "")));
    // The notice again: nothing is changed or told twice.
    post(delivery(change(a.phoneNumberId(), "", notice, "")));

    assertThat(query(a, "select count(*) || ' ' || count(distinct conversation_id) from crm.messages"))
        .as("one conversation throughout").containsExactly("4 1");
    assertThat(query(a, "select count(*) from crm.whatsapp_contacts")).containsExactly("1");
    assertThat(query(a, "select count(*) from crm.customers")).containsExactly("1");
    assertThat(query(a, "select unread_count || ' ' || last_message_preview from crm.conversations"))
        .as("the notice is not the user writing").containsExactly("3 after");
    assertThat(query(a, "select payload->>'change' || ' ' || (payload->>'previous_user_id') || ' '"
        + " || (payload->>'user_id') || ' [' || (payload->>'phone') || ']' from crm.whatsapp_events"
        + " where event_type = 'contact_changed'")).containsExactly("user_changed_user_id SA.100 SA.200 []");
    assertThat(heard(a, WhatsAppEvent.ContactChanged.class)).singleElement().satisfies(e -> {
      assertThat(e.change()).isEqualTo("user_changed_user_id");
      assertThat(e.previousUserId()).contains("SA.100");
      assertThat(e.userId()).contains("SA.200");
      assertThat(e.phone()).isEmpty();
    });
  }

  @Test
  void aChangedNumberRetiresTheOldUserIdAndTheOldNumberIsAnotherPersonAfterwards() throws SQLException {
    Tenant a = tenant();
    String before = "{'profile':{'name':'Reem'},'wa_id':'966501110020','user_id':'SA.300'}";
    post(delivery(change(a.phoneNumberId(), before, "{'from':'966501110020','from_user_id':'SA.300','id':'wamid.num1',"
        + "'timestamp':'1764000000','type':'text','text':{'body':'hi'}}", "")));
    post(delivery(change(a.phoneNumberId(), "", "{'from':'966501110020','id':'wamid.num2','timestamp':'1764000100',"
        + "'type':'system','system':{'body':'User Reem changed from 966501110020 to 971501110021','wa_id':"
        + "'971501110021','previous_user_id':'SA.300','type':'user_changed_number'}}", "")));
    assertThat(query(a, "select coalesce(bsuid, '-') || ' ' || wa_phone || ' ' || previous_bsuid"
        + " from crm.whatsapp_contacts")).as("a new number comes with a new id, not yet told")
        .containsExactly("- +971501110021 SA.300");
    // Written before the change, delivered after: same conversation, and the old id stays retired.
    post(delivery(change(a.phoneNumberId(), before, "{'from':'966501110020','from_user_id':'SA.300','id':'wamid.num1b',"
        + "'timestamp':'1764000050','type':'text','text':{'body':'late'}}", "")));
    assertThat(query(a, "select coalesce(bsuid, '-') || ' ' || wa_phone || ' ' || previous_bsuid"
        + " from crm.whatsapp_contacts")).containsExactly("- +971501110021 SA.300");

    post(delivery(change(a.phoneNumberId(), "{'profile':{'name':'Reem'},'wa_id':'971501110021','user_id':'AE.301'}",
        "{'from':'971501110021','from_user_id':'AE.301','id':'wamid.num3','timestamp':'1764000200','type':'text',"
            + "'text':{'body':'new number'}}", "")));
    assertThat(query(a, "select bsuid || ' ' || wa_phone from crm.whatsapp_contacts"))
        .containsExactly("AE.301 +971501110021");
    // The first message again: stored before, so no contact is made for the number it came from.
    post(delivery(change(a.phoneNumberId(), before, "{'from':'966501110020','from_user_id':'SA.300','id':'wamid.num1',"
        + "'timestamp':'1764000000','type':'text','text':{'body':'hi'}}", "")));
    assertThat(query(a, "select count(*) from crm.whatsapp_contacts")).containsExactly("1");
    assertThat(query(a, "select count(*) from crm.conversations")).containsExactly("1");

    // The old number, given to someone else.
    post(delivery(change(a.phoneNumberId(), "{'profile':{'name':'Someone'},'wa_id':'966501110020','user_id':'SA.999'}",
        "{'from':'966501110020','from_user_id':'SA.999','id':'wamid.num4','timestamp':'1764000300','type':'text',"
            + "'text':{'body':'who is this?'}}", "")));
    assertThat(query(a, "select bsuid || ' ' || wa_phone || ' ' || count(m.id) from crm.whatsapp_contacts ct"
        + " join crm.conversations cv on cv.contact_id = ct.id left join crm.messages m on m.conversation_id = cv.id"
        + " group by ct.bsuid, ct.wa_phone order by 1"))
        .containsExactly("AE.301 +971501110021 4", "SA.999 +966501110020 1");
    assertThat(query(a, "select (payload->>'previous_phone') || ' ' || (payload->>'phone') || ' '"
        + " || (payload->>'previous_user_id') || ' [' || (payload->>'user_id') || ']' from crm.whatsapp_events"
        + " where event_type = 'contact_changed'")).containsExactly("+966501110020 +971501110021 SA.300 []");
    assertThat(heard(a, WhatsAppEvent.ContactChanged.class)).singleElement().satisfies(e -> {
      assertThat(e.change()).isEqualTo("user_changed_number");
      assertThat(e.previousPhone()).contains("+966501110020");
      assertThat(e.phone()).contains("+971501110021");
      assertThat(e.previousUserId()).contains("SA.300");
      assertThat(e.userId()).isEmpty();
      assertThat(e.contactId().toString()).isEqualTo(query(a, "select id from crm.whatsapp_contacts"
          + " where wa_phone = '+971501110021'").get(0));
    });
  }

  @Test
  void aKnownNumberArrivingWithAnotherUserIdIsAnotherPerson() throws SQLException {
    Tenant a = tenant();
    post(delivery(change(a.phoneNumberId(), "{'profile':{'name':'First'},'wa_id':'966501110030','user_id':'SA.600'}",
        "{'from':'966501110030','from_user_id':'SA.600','id':'wamid.known1','timestamp':'1764000000','type':'text',"
            + "'text':{'body':'mine'}}", "")));
    // No change notice came: the number now writes with another id.
    assertThat(post(delivery(change(a.phoneNumberId(),
        "{'profile':{'name':'Second'},'wa_id':'966501110030','user_id':'SA.601'}",
        "{'from':'966501110030','from_user_id':'SA.601','id':'wamid.known2','timestamp':'1764000100','type':'text',"
            + "'text':{'body':'new owner'}}", ""))).status()).isEqualTo(200);
    assertThat(query(a, "select bsuid || ' ' || coalesce(wa_phone, '-') || ' ' || count(m.id) from crm.whatsapp_contacts ct"
        + " join crm.conversations cv on cv.contact_id = ct.id join crm.messages m on m.conversation_id = cv.id"
        + " group by ct.bsuid, ct.wa_phone order by 1"))
        .as("never in another person's conversation").containsExactly("SA.600 +966501110030 1", "SA.601 - 1");

    // A change notice without the ids (as Meta first documented it) still retires the old id.
    post(delivery(change(a.phoneNumberId(), "", "{'from':'966501110030','id':'wamid.known3','timestamp':'1764000200',"
        + "'type':'system','system':{'body':'User First changed from 966501110030 to 966501110031','wa_id':"
        + "'966501110031','type':'user_changed_number'}}", "")));
    assertThat(query(a, "select coalesce(bsuid, '-') || ' ' || coalesce(wa_phone, '-') || ' '"
        + " || coalesce(previous_bsuid, '-') from crm.whatsapp_contacts order by created_at"))
        .containsExactly("- +966501110031 SA.600", "SA.601 - -");
  }

  @Test
  void aChangeOfIdRacingAMessageFromTheNewIdNeverFailsTheDelivery() throws Exception {
    Tenant a = tenant();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 10; round++) {
        String old = "SA.70" + round;
        String next = "SA.71" + round;
        post(delivery(change(a.phoneNumberId(), "{'profile':{'name':'R'},'user_id':'" + old + "'}",
            byUserId("wamid.race-a" + round, old, 1_764_000_000L, "before"), "")));
        byte[] notice = delivery(change(a.phoneNumberId(), "", "{'from_user_id':'" + next + "','id':'wamid.race-b"
            + round + "','timestamp':'1764000100','type':'system','system':{'body':'changed','previous_user_id':'"
            + old + "','user_id':'" + next + "','type':'user_changed_user_id'}}", ""));
        byte[] message = delivery(change(a.phoneNumberId(), "{'profile':{'name':'R'},'user_id':'" + next + "'}",
            byUserId("wamid.race-c" + round, next, 1_764_000_200L, "after"), ""));
        var first = pool.submit(() -> post(notice).status());
        var second = pool.submit(() -> post(message).status());
        assertThat(List.of(first.get(), second.get())).as("round %d", round).containsOnly(200);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(query(a, "select count(*) from crm.messages")).containsExactly("30");
  }

  @Test
  void aNewIdHeldByAnotherContactIsNotTakenAndTheDeliveryStillSucceeds() throws SQLException {
    Tenant a = tenant();
    post(delivery(change(a.phoneNumberId(), "{'profile':{'name':'One'},'user_id':'SA.400'}",
        byUserId("wamid.held1", "SA.400", 1_764_000_000L, "one"), "")));
    post(delivery(change(a.phoneNumberId(), "{'profile':{'name':'Two'},'user_id':'SA.401'}",
        byUserId("wamid.held2", "SA.401", 1_764_000_001L, "two"), "")));
    // The new id named in the notice itself.
    WhatsAppWebhook.Response response = post(delivery(change(a.phoneNumberId(), "", "{'from_user_id':'SA.400',"
        + "'id':'wamid.held3','timestamp':'1764000100','type':'system','system':{'body':'changed','user_id':'SA.401',"
        + "'type':'user_changed_user_id'}}", "")));
    assertThat(response.status()).isEqualTo(200);
    assertThat(query(a, "select bsuid || ' ' || coalesce(previous_bsuid, '-') from crm.whatsapp_contacts order by 1"))
        .containsExactly("SA.400 -", "SA.401 -");
    assertThat(query(a, "select count(*) from crm.whatsapp_events where event_type = 'contact_changed'"))
        .containsExactly("0");
    assertThat(query(a, "select count(*) from crm.messages where message_type = 'system'")).containsExactly("1");

    post(delivery(change(a.phoneNumberId(), "", "{'from_user_id':'SA.400','id':'wamid.held4','timestamp':'1764000200',"
        + "'type':'system','system':{'body':'changed','user_id':'SA.402','type':'user_changed_user_id'}}", "")));
    assertThat(query(a, "select bsuid || ' ' || coalesce(previous_bsuid, '-') from crm.whatsapp_contacts order by 1"))
        .as("named in the notice, the new id is taken").containsExactly("SA.401 -", "SA.402 SA.400");
  }

  @Test
  void anUnusableItemIsSkippedAndTheRestOfTheDeliveryStored() throws SQLException {
    Tenant a = tenant();
    String noId = "{'from':'966501110014','timestamp':'1764000000','type':'text','text':{'body':'no id'}}";
    String noSender = "{'id':'wamid.nosender','timestamp':'1764000000','type':'text','text':{'body':'from nobody'}}";
    String good = text("wamid.good1", "966501110014", 1_764_000_001L, "fine");
    assertThat(post(delivery(change(a.phoneNumberId(), contact("966501110014", "X") + "," + contact("966501110015", "Y"),
        noId + "," + noSender + "," + good, ""))).status()).isEqualTo(200);
    assertThat(query(a, "select body from crm.messages")).containsExactly("fine");
  }

  @Test
  void aCustomerCreatedByTheApiBeforehandIsNotDuplicatedAndKeepsItsSource() throws SQLException {
    Tenant a = tenant();
    t.admin(a.org()).customers().create(CustomerDraft.builder().fullName("API").whatsappPhone("+966501110010")
        .source(CustomerSource.API).build());
    post(delivery(change(a.phoneNumberId(), contact("966501110010", "Whoever"),
        text("wamid.api1", "966501110010", 1_764_000_000L, "hi"), "")));
    assertThat(query(a, "select full_name || ' ' || source from crm.customers")).containsExactly("API api");
    assertThat(t.admin(a.org()).customers().search("API", 5, Optional.empty()).items()).hasSize(1);
  }
}
