package io.crmkit.whatsapp;

import static io.crmkit.whatsapp.TestWhatsApp.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.Crm;
import io.crmkit.core.Page;
import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.ForbiddenException;
import io.crmkit.core.exception.LimitExceededException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.users.NewMember;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The inbox and replies, fed by signed webhook deliveries, sending through the recording fake. */
class WhatsAppInboxTest {
  private static final AtomicLong NUMBERS = new AtomicLong(500_000_000_000_000L);
  private static final AtomicLong USERS = new AtomicLong(966_502_000_000L);
  private static TestWhatsApp t;
  private static WhatsAppWebhook webhook;
  private static FakeWhatsAppGateway fake;

  @BeforeAll
  static void setUp() {
    fake = new FakeWhatsAppGateway();
    t = TestWhatsApp.start(WhatsAppModule.builder().sessionKeys(TestWhatsApp.KEYS).gateway(fake).verifyToken("v")
        .app("111", "s111").build());
    webhook = t.crm.service(WhatsAppWebhook.class);
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private int sentBefore;

  @BeforeEach
  void mark() {
    sentBefore = fake.sent().size();
  }

  private List<FakeWhatsAppGateway.Sent> sentSince() {
    return fake.sent().subList(sentBefore, fake.sent().size());
  }

  private record Tenant(ProvisionedOrganization org, WhatsAppProfile profile) {
    TenantScope admin() {
      return t.admin(org);
    }

    WhatsAppInbox inbox() {
      return admin().service(WhatsAppInbox.class);
    }
  }

  private static Tenant tenant() {
    ProvisionedOrganization org = t.provision();
    WhatsAppProfile profile = t.admin(org).service(WhatsAppProfiles.class).create(WhatsAppProfileDraft.builder()
        .name("Sales").phoneNumber("+966500000001").phoneNumberId(Long.toString(NUMBERS.incrementAndGet()))
        .metaAppId("111").session("EAAG-token").build());
    return new Tenant(org, profile);
  }

  /** A user writes to the tenant's number (signed as Meta signs); returns the conversation's id. */
  private static UUID inbound(Tenant tenant, String from, Instant at, String text) throws SQLException {
    String body = ("{'object':'whatsapp_business_account','entry':[{'id':'1','changes':[{'field':'messages','value':{"
        + "'messaging_product':'whatsapp','metadata':{'display_phone_number':'966500000001','phone_number_id':'"
        + tenant.profile().phoneNumberId() + "'},'contacts':[{'profile':{'name':'User'},'wa_id':'" + from + "'}],"
        + "'messages':[{'from':'" + from + "','id':'wamid." + UUID.randomUUID() + "','timestamp':'" + at.getEpochSecond()
        + "','type':'text','text':{'body':'" + text + "'}}]}}]}]}").replace('\'', '"');
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    assertThat(webhook.receive(bytes, WebhookSignature.sign("s111", bytes)).status()).isEqualTo(200);
    try (Connection c = t.tenant(tenant.org().organization().id())) {
      return UUID.fromString(rows(c, "select cv.id from crm.conversations cv join crm.whatsapp_contacts ct"
          + " on ct.id = cv.contact_id where ct.wa_phone = ?", "+" + from).get(0));
    }
  }

  /** A user with a username writes, known by their business-scoped id and, if not empty, a phone. */
  private static void usernameOnly(Tenant tenant, String userId, String phone, String text) {
    String waId = phone.isEmpty() ? "" : ",'wa_id':'" + phone + "'";
    String from = phone.isEmpty() ? "" : "'from':'" + phone + "',";
    String body = ("{'object':'whatsapp_business_account','entry':[{'id':'1','changes':[{'field':'messages','value':{"
        + "'messaging_product':'whatsapp','metadata':{'display_phone_number':'966500000001','phone_number_id':'"
        + tenant.profile().phoneNumberId() + "'},'contacts':[{'profile':{'name':'Bob','username':'@bob'},'user_id':'"
        + userId + "'" + waId + "}],'messages':[{" + from + "'from_user_id':'" + userId + "','id':'wamid."
        + UUID.randomUUID() + "','timestamp':'" + Instant.now().getEpochSecond() + "','type':'text','text':{'body':'"
        + text + "'}}]}}]}]}").replace('\'', '"');
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    assertThat(webhook.receive(bytes, WebhookSignature.sign("s111", bytes)).status()).isEqualTo(200);
  }

  private static String user() {
    return Long.toString(USERS.incrementAndGet());
  }

  @Test
  void aReplyInsideTheWindowIsCommittedThenSentAndItsStatusesFollow() throws SQLException {
    Tenant a = tenant();
    String from = user();
    UUID conversation = inbound(a, from, Instant.now(), "where is my order?");

    WhatsAppMessage reply = a.inbox().sendText(conversation, "On its way 🚚");

    assertThat(reply.status()).isEqualTo("sent");
    assertThat(reply.waMessageId()).isPresent();
    assertThat(sentSince()).singleElement().satisfies(s -> {
      assertThat(s.phoneNumberId()).isEqualTo(a.profile().phoneNumberId());
      assertThat(s.message()).isEqualTo(new OutgoingMessage.Text("+" + from, "On its way 🚚"));
    });
    assertThat(a.inbox().messages(conversation, 10, Optional.empty()).items())
        .extracting(WhatsAppMessage::inbound, m -> m.body().orElse(""))
        .containsExactly(org.assertj.core.groups.Tuple.tuple(false, "On its way 🚚"),
            org.assertj.core.groups.Tuple.tuple(true, "where is my order?"));
    assertThat(a.inbox().conversation(conversation)).get().extracting(c -> c.lastMessagePreview().orElse(""))
        .isEqualTo("On its way 🚚");
    try (Connection c = t.tenant(a.org().organization().id())) {
      assertThat(rows(c, "select event_type || ' ' || (payload->>'status') from crm.whatsapp_events"
          + " where event_type = 'message_status'")).as("workflows hear the send's outcome").containsExactly("message_status sent");
    }
  }

  @Test
  void aUserKnownOnlyByUsernameIsRepliedToByTheirBusinessScopedIdAndAPhoneIsPreferred() throws SQLException {
    Tenant a = tenant();
    String userId = "SA." + USERS.incrementAndGet();
    usernameOnly(a, userId, "", "hi");
    UUID conversation = a.inbox().conversations(ConversationQuery.all(), 10, Optional.empty()).items().get(0).id();

    assertThat(a.inbox().sendText(conversation, "Hello Bob").status()).isEqualTo("sent");
    // Once WhatsApp tells the phone too, replies go to it.
    String phone = user();
    usernameOnly(a, userId, phone, "my number is visible now");
    a.inbox().sendText(conversation, "Hello again");

    assertThat(sentSince()).extracting(FakeWhatsAppGateway.Sent::message).containsExactly(
        new OutgoingMessage.Text(userId, "Hello Bob"), new OutgoingMessage.Text("+" + phone, "Hello again"));
  }

  @Test
  void freeFormOutsideTheWindowIsRefusedWithNothingStoredButATemplateGoes() throws SQLException {
    Tenant a = tenant();
    String from = user();
    UUID conversation = inbound(a, from, Instant.now().minusSeconds(25 * 3600), "old message");
    assertThatThrownBy(() -> a.inbox().sendText(conversation, "hello again"))
        .isInstanceOfSatisfying(CustomerWindowClosedException.class,
            e -> assertThat(e.conversationId()).isEqualTo(conversation))
        .hasMessageContaining("only a template");
    assertThat(a.inbox().messages(conversation, 10, Optional.empty()).items()).hasSize(1);
    assertThat(sentSince()).isEmpty();

    WhatsAppMessage template = a.inbox().sendTemplate(conversation, "order_update", "ar", List.of("A-1"));
    assertThat(template.status()).isEqualTo("sent");
    assertThat(sentSince()).extracting(FakeWhatsAppGateway.Sent::message)
        .containsExactly(OutgoingMessage.Template.of("+" + from, "order_update", "ar", List.of("A-1")));
  }

  @Test
  void mediaRepliesGoInsideTheWindowAndAreResumedAsTheyWereAsked() throws SQLException {
    Tenant a = tenant();
    String from = user();
    UUID conversation = inbound(a, from, Instant.now(), "send me the invoice");
    OutgoingMessage.MediaSource invoice = OutgoingMessage.MediaSource.link("https://files.example.com/inv-1042.pdf");

    WhatsAppMessage sent = a.inbox().sendMedia(conversation, OutgoingMessage.MediaKind.DOCUMENT, invoice,
        Optional.of("Your invoice"), Optional.of("inv-1042.pdf"));
    assertThat(sent.status()).isEqualTo("sent");
    assertThat(sent.type()).isEqualTo("document");
    assertThat(sent.body()).contains("Your invoice");
    assertThat(sentSince()).extracting(FakeWhatsAppGateway.Sent::message).containsExactly(new OutgoingMessage.Media(
        "+" + from, OutgoingMessage.MediaKind.DOCUMENT, invoice, Optional.of("Your invoice"), Optional.of("inv-1042.pdf")));

    mark();
    assertThatThrownBy(() -> a.inbox().sendMedia(conversation, OutgoingMessage.MediaKind.AUDIO,
        OutgoingMessage.MediaSource.id("1479537139650973"), Optional.of("a caption"), Optional.empty()))
        .isInstanceOfSatisfying(io.crmkit.core.exception.ValidationException.class, e -> assertThat(e.field()).isEqualTo("media"));
    assertThat(a.inbox().messages(conversation, 10, Optional.empty()).items()).as("nothing stored").hasSize(2);

    // Left pending by a stopped process, then resumed: the same media goes, by id, without caption.
    UUID left;
    try (Connection c = t.db.runtimeDataSource().getConnection()) {
      c.setAutoCommit(false);
      left = a.admin().joining(c, action -> { }).service(WhatsAppInbox.class).sendMedia(conversation, OutgoingMessage.MediaKind.IMAGE,
          OutgoingMessage.MediaSource.id("1479537139650973"), Optional.empty(), Optional.empty()).id();
      c.commit();
    }
    t.db.executeAsAdmin("update crm.messages set created_at = now() - interval '1 hour' where id = '" + left + "'");
    assertThat(t.crm.service(WhatsAppJobs.class).resumeStalledReplies(WhatsAppJobs.MIN_STALL, 100)).isEqualTo(1);
    assertThat(sentSince()).extracting(FakeWhatsAppGateway.Sent::message).containsExactly(new OutgoingMessage.Media(
        "+" + from, OutgoingMessage.MediaKind.IMAGE, OutgoingMessage.MediaSource.id("1479537139650973"),
        Optional.empty(), Optional.empty()));
    assertThat(a.inbox().conversation(conversation)).get().extracting(cv -> cv.lastMessagePreview().orElse(""))
        .isEqualTo("[image]");

    UUID old = inbound(a, user(), Instant.now().minusSeconds(25 * 3600), "old");
    assertThatThrownBy(() -> a.inbox().sendMedia(old, OutgoingMessage.MediaKind.IMAGE, invoice, Optional.empty(),
        Optional.empty())).isInstanceOf(CustomerWindowClosedException.class);
  }

  @Test
  void rateLimitsAreRetriedTimeoutsAreNotAndAuthFailuresDisconnectTheProfile() throws SQLException {
    Tenant a = tenant();
    UUID conversation = inbound(a, user(), Instant.now(), "hi");
    fake.thenAnswer(new SendResult.Failed(new SendFailure(SendFailure.Kind.RATE_LIMITED, 130429, "slow down")));
    assertThat(a.inbox().sendText(conversation, "retried").status()).isEqualTo("sent");
    assertThat(sentSince()).as("the limit, then the retry").hasSize(2);

    mark();
    fake.thenAnswer(new SendResult.Unknown("no answer within PT20S"));
    WhatsAppMessage unknown = a.inbox().sendText(conversation, "timed out");
    assertThat(unknown.status()).isEqualTo("unknown");
    assertThat(sentSince()).as("never resent blindly").hasSize(1);

    mark();
    fake.thenAnswer(new SendResult.Failed(new SendFailure(SendFailure.Kind.AUTHENTICATION, 190, "token expired")));
    WhatsAppMessage failed = a.inbox().sendText(conversation, "no token");
    assertThat(failed.status()).isEqualTo("failed");
    assertThat(failed.errorCode()).contains(190);
    assertThat(sentSince()).hasSize(1);
    assertThat(a.admin().service(WhatsAppProfiles.class).get(a.profile().id())).get().extracting(WhatsAppProfile::status)
        .isEqualTo(ProfileStatus.DISCONNECTED);
  }

  @Test
  void insideTheHostsTransactionNothingIsSentBeforeItCommitsAndNothingIfItRollsBack() throws SQLException {
    Tenant a = tenant();
    UUID conversation = inbound(a, user(), Instant.now(), "hi");
    WhatsAppMessage pending = a.admin().inTransaction(tx -> {
      WhatsAppMessage m = tx.service(WhatsAppInbox.class).sendText(conversation, "after commit");
      assertThat(sentSince()).as("not inside the transaction").isEmpty();
      return m;
    });
    assertThat(pending.status()).isEqualTo("pending");
    assertThat(sentSince()).hasSize(1);
    assertThat(a.inbox().messages(conversation, 1, Optional.empty()).items().get(0).status()).isEqualTo("sent");

    mark();
    assertThatThrownBy(() -> a.admin().inTransaction(tx -> {
      tx.service(WhatsAppInbox.class).sendText(conversation, "never");
      throw new IllegalStateException("host rolls back");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(sentSince()).isEmpty();
    assertThat(a.inbox().messages(conversation, 10, Optional.empty()).items())
        .extracting(m -> m.body().orElse("")).doesNotContain("never");
  }

  @Test
  void repliesAStoppedProcessLeftBehindAreSentOnceOrSettledAsUnknown() throws Exception {
    Tenant a = tenant();
    String from = user();
    UUID conversation = inbound(a, from, Instant.now(), "hello?");
    List<UUID> left = new ArrayList<>();
    for (String text : List.of("left pending", "left while sending")) {
      try (Connection c = t.db.runtimeDataSource().getConnection()) {
        c.setAutoCommit(false);
        // The host's commit hook never runs the sends: the process stopped right after the commit.
        TenantScope joined = a.admin().joining(c, action -> { });
        left.add(joined.service(WhatsAppInbox.class).sendText(conversation, text).id());
        c.commit();
      }
    }
    t.db.executeAsAdmin("update crm.messages set created_at = now() - interval '1 hour' where id in ('" + left.get(0)
        + "', '" + left.get(1) + "'); update crm.messages set status = 'sending', status_at = now() - interval '1 hour'"
        + " where id = '" + left.get(1) + "'");
    assertThatThrownBy(() -> t.crm.service(WhatsAppJobs.class).resumeStalledReplies(java.time.Duration.ZERO, 100))
        .as("a send may take this long").isInstanceOfSatisfying(io.crmkit.core.exception.ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("olderThan"));
    assertThat(sentSince()).isEmpty();

    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      List<java.util.concurrent.Future<Integer>> runs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        runs.add(pool.submit(() -> t.crm.service(WhatsAppJobs.class).resumeStalledReplies(WhatsAppJobs.MIN_STALL, 100)));
      }
      int total = 0;
      for (java.util.concurrent.Future<Integer> run : runs) {
        total += run.get(30, java.util.concurrent.TimeUnit.SECONDS);
      }
      assertThat(total).as("two resumers, one send").isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(sentSince()).extracting(FakeWhatsAppGateway.Sent::message)
        .containsExactly(new OutgoingMessage.Text("+" + from, "left pending"));
    try (Connection c = t.tenant(a.org().organization().id())) {
      assertThat(rows(c, "select body || ' ' || status from crm.messages where direction = 'outbound'"
          + " order by body")).containsExactly("left pending sent", "left while sending unknown");
    }
    assertThat(t.crm.service(WhatsAppJobs.class).resumeStalledReplies(WhatsAppJobs.MIN_STALL, 100)).as("nothing left").isZero();
  }

  /** A status callback as Meta sends it, optionally with the tag the send carried. */
  private static int status(Tenant tenant, String wamid, String status, long timestamp, String tag) {
    String json = ("{'object':'whatsapp_business_account','entry':[{'id':'1','changes':[{'field':'messages',"
        + "'value':{'messaging_product':'whatsapp','metadata':{'display_phone_number':'1','phone_number_id':'"
        + tenant.profile().phoneNumberId() + "'},'statuses':[{'id':'" + wamid + "','status':'" + status + "',"
        + "'timestamp':'" + timestamp + "','recipient_id':'1'" + (tag == null ? "" : ",'biz_opaque_callback_data':'"
        + tag + "'") + "}]}}]}]}").replace('\'', '"');
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return webhook.receive(body, WebhookSignature.sign("s111", body)).status();
  }

  @Test
  void aReplyWhoseAnswerWasLostSettlesFromItsTaggedStatusesAndIsNeverResent() throws SQLException {
    Tenant a = tenant();
    Tenant b = tenant();
    UUID conversation = inbound(a, user(), Instant.now(), "hi");
    fake.thenAnswer(new SendResult.Unknown("no answer within PT20S"));
    WhatsAppMessage lost = a.inbox().sendText(conversation, "did it go?");
    assertThat(lost.status()).isEqualTo("unknown");
    String tag = sentSince().get(0).tag().orElseThrow();
    assertThat(tag).as("every reply is tagged with its own id").isEqualTo("crmkit.reply:" + lost.id());

    // Another tenant's webhook naming this reply's tag finds nothing of ours.
    assertThat(status(b, "wamid.forged-" + UUID.randomUUID(), "read", 5, tag)).isEqualTo(200);
    assertThat(a.inbox().messages(conversation, 1, Optional.empty()).items().get(0).status()).isEqualTo("unknown");

    String wamid = "wamid.lost-" + UUID.randomUUID();
    assertThat(status(a, wamid, "delivered", 10, tag)).isEqualTo(200);
    assertThat(status(a, wamid, "read", 20, null)).as("later statuses follow the wamid").isEqualTo(200);
    WhatsAppMessage settled = a.inbox().messages(conversation, 1, Optional.empty()).items().get(0);
    assertThat(settled.status()).isEqualTo("read");
    assertThat(settled.waMessageId()).contains(wamid);
    assertThat(sentSince()).as("never sent again").hasSize(1);
    try (Connection c = t.tenant(a.org().organization().id())) {
      assertThat(rows(c, "select payload->>'status' from crm.whatsapp_events where event_type = 'message_status'"
          + " order by seq")).containsExactly("unknown", "delivered", "read");
      assertThat(rows(c, "select count(*) from crm.whatsapp_early_statuses")).containsExactly("0");
    }
  }

  @Test
  void aTaggedStatusThatOutrunsTheSendsAnswerIsToldOnce() throws SQLException {
    Tenant a = tenant();
    UUID conversation = inbound(a, user(), Instant.now(), "hi");
    String wamid = "wamid.outrun-" + UUID.randomUUID();
    WhatsAppGateway outrun = new WhatsAppGateway() {
      @Override
      public SendResult send(WhatsAppSender sender, OutgoingMessage message) {
        throw new AssertionError("replies are sent tagged");
      }

      @Override
      public SendResult send(WhatsAppSender sender, OutgoingMessage message, String tag) {
        // WhatsApp's callback, tagged, arrives before its answer to the send.
        assertThat(status(a, wamid, "delivered", 5, tag)).isEqualTo(200);
        return new SendResult.Accepted(wamid);
      }

      @Override
      public SendResult markRead(WhatsAppSender sender, String providerMessageId) {
        return fake.markRead(sender, providerMessageId);
      }

      @Override
      public NumberCheck verifyNumber(WhatsAppSender sender) {
        return NumberCheck.OWNED;
      }

      @Override
      public MediaFetch fetchMedia(WhatsAppSender sender, String mediaId, MediaSink sink) {
        return MediaFetch.FAILED;
      }
    };
    Crm racing = t.crm(WhatsAppModule.builder().sessionKeys(TestWhatsApp.KEYS).gateway(outrun).build());
    WhatsAppMessage reply = TestWhatsApp.admin(racing, a.org()).service(WhatsAppInbox.class).sendText(conversation,
        "quick");
    assertThat(reply.status()).isEqualTo("delivered");
    assertThat(reply.waMessageId()).contains(wamid);
    try (Connection c = t.tenant(a.org().organization().id())) {
      assertThat(rows(c, "select payload->>'status' from crm.whatsapp_events where event_type = 'message_status'"))
          .as("told once, by the status").containsExactly("delivered");
    }
  }

  @Test
  void statusesThatOutrunTheSendAreAppliedWhenTheSendIsRecorded() throws SQLException {
    Tenant a = tenant();
    UUID conversation = inbound(a, user(), Instant.now(), "hi");
    String wamid = "wamid.early-" + UUID.randomUUID();
    String statuses = ("{'object':'whatsapp_business_account','entry':[{'id':'1','changes':[{'field':'messages',"
        + "'value':{'messaging_product':'whatsapp','metadata':{'display_phone_number':'1','phone_number_id':'"
        + a.profile().phoneNumberId() + "'},'statuses':[{'id':'" + wamid + "','status':'sent','timestamp':'1',"
        + "'recipient_id':'1','pricing':{'category':'service'}},{'id':'" + wamid + "','status':'delivered',"
        + "'timestamp':'2','recipient_id':'1'}]}}]}]}").replace('\'', '"');
    byte[] body = statuses.getBytes(StandardCharsets.UTF_8);
    assertThat(webhook.receive(body, WebhookSignature.sign("s111", body)).status()).isEqualTo(200);

    fake.thenAnswer(new SendResult.Accepted(wamid));
    WhatsAppMessage reply = a.inbox().sendText(conversation, "fast network");
    assertThat(reply.status()).as("delivered, reported before the send was recorded").isEqualTo("delivered");
    try (Connection c = t.tenant(a.org().organization().id())) {
      assertThat(rows(c, "select pricing->>'category' from crm.messages where wa_message_id = ?", wamid))
          .containsExactly("service");
      assertThat(rows(c, "select count(*) from crm.whatsapp_early_statuses")).as("applied, then gone")
          .containsExactly("0");
    }
  }

  @Test
  void statusesForWamidsWeNeverSentArePurgedAfterADay() throws SQLException {
    Tenant a = tenant();
    assertThat(status(a, "wamid.other-tool-1", "sent", 1, null)).isEqualTo(200);
    try (Connection c = t.db.adminDataSource().getConnection()) {
      c.createStatement().execute("update crm.whatsapp_early_statuses set received_at = now() - interval '25 hours'"
          + " where wa_message_id = 'wamid.other-tool-1'");
    }
    assertThat(status(a, "wamid.other-tool-2", "sent", 2, null)).isEqualTo(200);
    try (Connection c = t.tenant(a.org().organization().id())) {
      assertThat(rows(c, "select wa_message_id from crm.whatsapp_early_statuses"))
          .containsExactly("wamid.other-tool-2");
    }
  }

  @Test
  void aSendThatOutlivesTheResumersPatienceStillRecordsItsOutcome() throws Exception {
    java.util.concurrent.CountDownLatch inGateway = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    WhatsAppGateway slow = new WhatsAppGateway() {
      @Override
      public SendResult send(WhatsAppSender sender, OutgoingMessage message) {
        inGateway.countDown();
        try {
          release.await(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return new SendResult.Accepted("wamid.slow-but-sent");
      }

      @Override
      public SendResult markRead(WhatsAppSender sender, String providerMessageId) {
        return fake.markRead(sender, providerMessageId);
      }

      @Override
      public NumberCheck verifyNumber(WhatsAppSender sender) {
        return NumberCheck.OWNED;
      }

      @Override
      public MediaFetch fetchMedia(WhatsAppSender sender, String mediaId, MediaSink sink) {
        return MediaFetch.GONE;
      }
    };
    Crm slowWhatsApp = t.crm(WhatsAppModule.builder().sessionKeys(TestWhatsApp.KEYS).gateway(slow).build());
    Tenant a = tenant();
    UUID conversation = inbound(a, user(), Instant.now(), "hi");
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      java.util.concurrent.Future<WhatsAppMessage> sending = pool.submit(() ->
          TestWhatsApp.admin(slowWhatsApp, a.org()).service(WhatsAppInbox.class).sendText(conversation,
              "slow network"));
      assertThat(inGateway.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      // The process looks stopped to a resumer: the claim is older than its patience.
      t.db.executeAsAdmin("update crm.messages set status_at = now() - interval '1 hour'"
          + " where status = 'sending' and body = 'slow network'");
      slowWhatsApp.service(WhatsAppJobs.class).resumeStalledReplies(WhatsAppJobs.MIN_STALL, 100);
      try (Connection c = t.tenant(a.org().organization().id())) {
        assertThat(rows(c, "select status from crm.messages where body = 'slow network'")).containsExactly("unknown");
      }
      release.countDown();
      assertThat(sending.get(20, java.util.concurrent.TimeUnit.SECONDS).status())
          .as("the answer that came back late is recorded over the unknown").isEqualTo("sent");
      assertThat(sending.get().waMessageId()).contains("wamid.slow-but-sent");
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void theDailyMessageLimitHolds() throws SQLException {
    Tenant a = tenant();
    t.crm.platform().setCustomLimit(a.org().organization().id(), Limit.MESSAGES_PER_DAY, OptionalLong.of(1));
    UUID conversation = inbound(a, user(), Instant.now(), "hi");
    a.inbox().sendText(conversation, "one");
    assertThatThrownBy(() -> a.inbox().sendText(conversation, "two")).isInstanceOf(LimitExceededException.class);
    assertThat(sentSince()).hasSize(1);
  }

  @Test
  void conversationsPageByKeysetAndAreAssignedTaggedAndRead() throws SQLException {
    Tenant a = tenant();
    Tenant b = tenant();
    Instant now = Instant.now();
    List<UUID> newestFirst = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      newestFirst.add(0, inbound(a, user(), now.minusSeconds(300 - i), "message " + i));
    }
    inbound(b, user(), now, "for another tenant");
    List<UUID> walked = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<WhatsAppConversation> page = a.inbox().conversations(ConversationQuery.all(), 1, cursor);
      page.items().forEach(c -> walked.add(c.id()));
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    assertThat(walked).isEqualTo(newestFirst);

    User agent = t.crm.acceptInvitation(a.admin().users().invite("agent@example.com", Role.AGENT).token(),
        NewMember.named("Agent"));
    UUID first = newestFirst.get(0);
    assertThat(a.inbox().assign(first, Optional.of(agent.id())).assignedTo()).contains(agent.id());
    assertThat(a.inbox().tag(first, List.of("vip", "vip", "urgent")).tags()).containsExactly("vip", "urgent");
    List<String> many = java.util.stream.IntStream.range(0, 48).mapToObj(i -> "t" + i).toList();
    assertThat(a.inbox().tag(first, many).tags()).as("50 in all").hasSize(50);
    assertThatThrownBy(() -> a.inbox().tag(first, List.of("one-too-many"))).as("tags add up to the one cap")
        .isInstanceOfSatisfying(io.crmkit.core.exception.ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("tags"));
    assertThat(a.inbox().conversation(first).orElseThrow().tags()).as("nothing changed").hasSize(50)
        .doesNotContain("one-too-many");
    assertThat(a.inbox().conversations(ConversationQuery.builder().assignedTo(agent.id()).build(), 10, Optional.empty()).items())
        .extracting(WhatsAppConversation::id).containsExactly(first);
    assertThat(a.inbox().conversations(ConversationQuery.builder().tag("urgent").build(), 10, Optional.empty())
        .items()).extracting(WhatsAppConversation::id).containsExactly(first);
    assertThat(a.inbox().conversations(ConversationQuery.builder().unassigned().build(), 10, Optional.empty())
        .items()).extracting(WhatsAppConversation::id).doesNotContain(first).hasSize(2);
    assertThat(a.inbox().conversations(ConversationQuery.builder().profile(b.profile().id()).build(), 10,
        Optional.empty()).items()).as("another tenant's number").isEmpty();
    WhatsAppConversation firstNow = a.inbox().conversation(first).orElseThrow();
    assertThat(a.inbox().conversations(ConversationQuery.builder().customer(firstNow.customerId().orElseThrow())
        .build(), 10, Optional.empty()).items()).extracting(WhatsAppConversation::id).containsExactly(first);
    assertThat(a.inbox().setNotes(first, Optional.of("wants a call back")).notes()).contains("wants a call back");
    assertThat(a.inbox().setNotes(first, Optional.empty()).notes()).isEmpty();
    int receipts = fake.readReceipts().size();
    assertThat(a.inbox().markRead(first).unreadCount()).isZero();
    assertThat(fake.readReceipts().subList(receipts, fake.readReceipts().size())).as("blue ticks after the commit")
        .singleElement().satisfies(r -> assertThat(r.phoneNumberId()).isEqualTo(a.profile().phoneNumberId()));
    a.inbox().markRead(first);
    assertThat(fake.readReceipts()).as("nothing unread, no receipt").hasSize(receipts + 1);
    assertThat(a.inbox().conversations(ConversationQuery.builder().unreadOnly().build(), 10, Optional.empty()).items())
        .extracting(WhatsAppConversation::id).doesNotContain(first).hasSize(2);

    User member = t.crm.acceptInvitation(a.admin().users().invite("reader@example.com", Role.MEMBER).token(),
        NewMember.named("Reader"));
    WhatsAppInbox asMember = t.crm.tenant(a.org().organization().id()).as(member.id()).service(WhatsAppInbox.class);
    assertThat(asMember.conversation(first)).isPresent();
    assertThatThrownBy(() -> asMember.sendText(first, "no")).isInstanceOf(ForbiddenException.class);
    assertThat(b.admin().service(WhatsAppInbox.class).conversation(first)).as("another tenant").isEmpty();
  }
}
