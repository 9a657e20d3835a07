package io.crmkit.whatsapp;

import static io.crmkit.whatsapp.TestWhatsApp.rows;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events for workflows: listeners after commit, and the outbox drained across tenants. */
class WhatsAppOutboxTest {
  private static final AtomicLong NUMBERS = new AtomicLong(600_000_000_000_000L);
  private static final AtomicLong USERS = new AtomicLong(966_503_000_000L);
  private static final List<WhatsAppEvent> HEARD = new CopyOnWriteArrayList<>();
  private static TestWhatsApp t;
  private static WhatsAppWebhook webhook;

  @BeforeAll
  static void setUp() {
    t = TestWhatsApp.start(WhatsAppModule.builder().sessionKeys(TestWhatsApp.KEYS).gateway(new FakeWhatsAppGateway())
        .listener(HEARD::add).verifyToken("v").app("111", "s111").build());
    webhook = t.crm.service(WhatsAppWebhook.class);
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  @BeforeEach
  void drainEverythingBefore() {
    while (t.crm.service(WhatsAppOutbox.class).drain(1000, e -> { }) > 0) {
      // earlier tests' events
    }
    HEARD.clear();
  }

  private record Tenant(ProvisionedOrganization org, String number) {}

  private static Tenant tenant() {
    ProvisionedOrganization org = t.provision();
    String number = Long.toString(NUMBERS.incrementAndGet());
    t.admin(org).service(WhatsAppProfiles.class).create(WhatsAppProfileDraft.builder().name("Sales")
        .phoneNumber("+966500000001").phoneNumberId(number).metaAppId("111").session("token").build());
    return new Tenant(org, number);
  }

  private static byte[] delivery(Tenant tenant, String from, String waMessageId) {
    return ("{'object':'whatsapp_business_account','entry':[{'id':'1','changes':[{'field':'messages','value':{"
        + "'messaging_product':'whatsapp','metadata':{'display_phone_number':'1','phone_number_id':'" + tenant.number()
        + "'},'contacts':[{'profile':{'name':'U'},'wa_id':'" + from + "'}],'messages':[{'from':'" + from + "','id':'"
        + waMessageId + "','timestamp':'" + Instant.now().getEpochSecond() + "','type':'text','text':{'body':'hi'}}]}}]}]}")
        .replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  private static UUID post(Tenant tenant, String from, String waMessageId) throws SQLException {
    byte[] body = delivery(tenant, from, waMessageId);
    assertThat(webhook.receive(body, WebhookSignature.sign("s111", body)).status()).isEqualTo(200);
    try (Connection c = t.tenant(tenant.org().organization().id())) {
      return UUID.fromString(rows(c, "select cv.id from crm.conversations cv join crm.whatsapp_contacts ct"
          + " on ct.id = cv.contact_id where ct.wa_phone = ?", "+" + from).get(0));
    }
  }

  /** The WhatsApp id of the message an event is about (a received message's, here). */
  private static String wamid(WhatsAppEvent event) {
    return ((WhatsAppEvent.MessageReceived) event).waMessageId();
  }

  private static List<WhatsAppEvent> drainAll() {
    List<WhatsAppEvent> drained = new ArrayList<>();
    while (t.crm.service(WhatsAppOutbox.class).drain(100, drained::add) > 0) {
      // until nothing is left
    }
    return drained;
  }

  @Test
  void listenersHearEachNewMessageOnceAfterCommitInSequence() throws SQLException {
    Tenant a = tenant();
    String from = Long.toString(USERS.incrementAndGet());
    UUID conversation = post(a, from, "wamid.l1");
    post(a, from, "wamid.l2");
    post(a, from, "wamid.l1");
    assertThat(HEARD).extracting(e -> e.getClass(), WhatsAppEvent::seq, WhatsAppOutboxTest::wamid)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(WhatsAppEvent.MessageReceived.class, 1L, "wamid.l1"),
            org.assertj.core.groups.Tuple.tuple(WhatsAppEvent.MessageReceived.class, 2L, "wamid.l2"));
    assertThat(HEARD).allSatisfy(e -> assertThat(e.conversationId()).contains(conversation));
  }

  @Test
  void typedEventsCarryTheirFieldsAlikeToListenersAndThroughTheOutbox() throws SQLException {
    Tenant a = tenant();
    UUID org = a.org().organization().id();
    String from = Long.toString(USERS.incrementAndGet());
    UUID conversation = post(a, from, "wamid.typed-1");
    User agent = t.crm.acceptInvitation(t.admin(a.org()).users().invite("typed@example.com", Role.AGENT).token(),
        NewMember.named("Agent"));
    WhatsAppInbox inbox = t.admin(a.org()).service(WhatsAppInbox.class);
    inbox.assign(conversation, Optional.of(agent.id()));
    WhatsAppMessage reply = inbox.sendText(conversation, "hello");

    List<WhatsAppEvent> drained = drainAll();
    assertThat(drained).as("the outbox decodes what the listeners were told").isEqualTo(HEARD).hasSize(3);
    WhatsAppConversation now = inbox.conversation(conversation).orElseThrow();
    assertThat(drained).allSatisfy(e -> {
      assertThat(e.organizationId()).isEqualTo(org);
      assertThat(e.profileId()).isEqualTo(now.profileId());
      assertThat(e.conversationId()).contains(conversation);
    }).extracting(WhatsAppEvent::seq).containsExactly(1L, 2L, 3L);
    WhatsAppMessage inbound = inbox.messages(conversation, 10, Optional.empty()).items().get(1);
    assertThat(drained.get(0)).isInstanceOfSatisfying(WhatsAppEvent.MessageReceived.class, e -> {
      assertThat(e.messageId()).isEqualTo(inbound.id());
      assertThat(e.waMessageId()).isEqualTo("wamid.typed-1");
      assertThat(e.messageType()).isEqualTo("text");
      assertThat(e.customerId()).isEqualTo(now.customerId()).isPresent();
    });
    assertThat(drained.get(1)).isInstanceOfSatisfying(WhatsAppEvent.ConversationAssigned.class,
        e -> assertThat(e.assignedTo()).contains(agent.id()));
    assertThat(drained.get(2)).isInstanceOfSatisfying(WhatsAppEvent.MessageStatusChanged.class, e -> {
      assertThat(e.messageId()).isEqualTo(reply.id());
      assertThat(e.status()).isEqualTo("sent");
      assertThat(e.waMessageId()).isEqualTo(reply.waMessageId()).isPresent();
    });
  }

  @Test
  void theOutboxDeliversEveryEventAtLeastOnceInOrderPerConversationAcrossTenants() throws Exception {
    Tenant a = tenant();
    Tenant b = tenant();
    String u1 = Long.toString(USERS.incrementAndGet());
    String u2 = Long.toString(USERS.incrementAndGet());
    UUID c1 = post(a, u1, "wamid.o1");
    post(a, u1, "wamid.o2");
    UUID c2 = post(b, u2, "wamid.o3");
    post(a, u1, "wamid.o4");

    List<WhatsAppEvent> first = new ArrayList<>();
    assertThat(t.crm.service(WhatsAppOutbox.class).drain(100, first::add)).as("each conversation's events as a run").isEqualTo(4);
    List<WhatsAppEvent> all = new ArrayList<>(first);
    all.addAll(drainAll());
    assertThat(all.stream().filter(e -> e.conversationId().equals(Optional.of(c1))).map(WhatsAppEvent::seq).toList())
        .containsExactly(1L, 2L, 3L);
    assertThat(all.stream().filter(e -> e.conversationId().equals(Optional.of(c2))).toList()).singleElement()
        .satisfies(e -> assertThat(e.organizationId()).isEqualTo(b.org().organization().id()));
    assertThat(drainAll()).as("acknowledged: not again").isEmpty();

    // A failing handler leaves its event, and the later ones of its conversation, for later.
    post(a, u1, "wamid.o5");
    post(a, u1, "wamid.o6");
    List<Object> tried = new ArrayList<>();
    assertThat(t.crm.service(WhatsAppOutbox.class).drain(100, e -> {
      tried.add(wamid(e));
      throw new IllegalStateException("consumer down");
    })).isZero();
    assertThat(tried).as("the run stops at its first failure").containsExactly("wamid.o5");
    assertThat(drainAll()).extracting(WhatsAppOutboxTest::wamid).containsExactly("wamid.o5", "wamid.o6");
    try (Connection c = t.db.adminDataSource().getConnection()) {
      assertThat(rows(c, "select attempts from crm.whatsapp_events e join crm.messages m on m.id::text ="
          + " e.payload->>'message_id' where m.wa_message_id = 'wamid.o5'")).containsExactly("2");
    }
  }

  @Test
  void concurrentDrainsHandleEachEventOnceAndEachConversationInOrder() throws Exception {
    Tenant a = tenant();
    List<UUID> conversations = new ArrayList<>();
    for (int user = 0; user < 3; user++) {
      String from = Long.toString(USERS.incrementAndGet());
      for (int i = 0; i < 15; i++) {
        UUID conversation = post(a, from, "wamid.run-" + from + "-" + i);
        if (i == 0) {
          conversations.add(conversation);
        }
      }
    }
    List<WhatsAppEvent> handled = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<?>> drains = new ArrayList<>();
      for (int d = 0; d < 4; d++) {
        drains.add(pool.submit(() -> {
          while (t.crm.service(WhatsAppOutbox.class).drain(4, e -> {
            handled.add(e);
            Thread.sleep(2);
          }) > 0) {
            // the other drains take other conversations meanwhile
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> drain : drains) {
        drain.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    drainAll().forEach(handled::add);
    for (UUID conversation : conversations) {
      assertThat(handled.stream().filter(e -> e.conversationId().equals(Optional.of(conversation))).map(WhatsAppEvent::seq).toList())
          .as("once each, in order").isEqualTo(java.util.stream.LongStream.rangeClosed(1, 15).boxed().toList());
    }
  }

  @Test
  void aDrainHoldsOnlyTheRunsItHandsOut() throws Exception {
    Tenant a = tenant();
    String busy = Long.toString(USERS.incrementAndGet());
    for (int i = 0; i < 5; i++) {
      post(a, busy, "wamid.busy-" + i);
    }
    UUID other = post(a, Long.toString(USERS.incrementAndGet()), "wamid.other");
    List<WhatsAppEvent> outer = new ArrayList<>();
    List<WhatsAppEvent> meanwhile = new ArrayList<>();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      assertThat(t.crm.service(WhatsAppOutbox.class).drain(2, e -> {
        if (outer.isEmpty()) {
          pool.submit(() -> t.crm.service(WhatsAppOutbox.class).drain(10, meanwhile::add)).get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        outer.add(e);
      })).isEqualTo(2);
    } finally {
      pool.shutdownNow();
    }
    assertThat(outer).extracting(WhatsAppEvent::seq).containsExactly(1L, 2L);
    assertThat(meanwhile).as("the other conversation, not held by the first drain").singleElement()
        .satisfies(e -> assertThat(e.conversationId()).contains(other));
    assertThat(drainAll()).extracting(WhatsAppEvent::seq).containsExactly(3L, 4L, 5L);
  }

  @Test
  void aFailingConversationDoesNotStarveTheOthers() throws SQLException {
    Tenant a = tenant();
    UUID stuck = post(a, Long.toString(USERS.incrementAndGet()), "wamid.stuck");
    UUID fine = post(a, Long.toString(USERS.incrementAndGet()), "wamid.fine");
    List<UUID> handled = new ArrayList<>();
    WhatsAppOutbox.Handler consumer = e -> {
      if (e.conversationId().equals(Optional.of(stuck))) {
        throw new IllegalStateException("this one always fails");
      }
      handled.add(e.conversationId().orElseThrow());
    };
    t.crm.service(WhatsAppOutbox.class).drain(1, consumer);
    t.crm.service(WhatsAppOutbox.class).drain(1, consumer);
    assertThat(handled).as("the failed event goes to the back").containsExactly(fine);
  }

  @Test
  void anEventWrittenByATransactionThatCommitsLateIsNotSkipped() throws Exception {
    Tenant a = tenant();
    UUID slow = post(a, Long.toString(USERS.incrementAndGet()), "wamid.slow");
    drainAll();
    User agent = t.crm.acceptInvitation(t.admin(a.org()).users().invite("agent@example.com", Role.AGENT).token(),
        NewMember.named("Agent"));
    CountDownLatch written = new CountDownLatch(1);
    CountDownLatch commit = new CountDownLatch(1);
    Thread writer = new Thread(() -> {
      try {
        t.admin(a.org()).inTransaction(scope -> {
          scope.service(WhatsAppInbox.class).assign(slow, Optional.of(agent.id()));
          written.countDown();
          return commit.await(10, TimeUnit.SECONDS);
        });
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    writer.start();
    assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
    post(a, Long.toString(USERS.incrementAndGet()), "wamid.fast");
    assertThat(drainAll()).as("the committed one, while the other is uncommitted")
        .extracting(WhatsAppOutboxTest::wamid).containsExactly("wamid.fast");
    commit.countDown();
    writer.join(10_000);
    assertThat(drainAll()).as("committed later, delivered still").extracting(e -> e.getClass(), WhatsAppEvent::seq)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(WhatsAppEvent.ConversationAssigned.class, 2L));
  }

  @Test
  void eventsAreTheTenantsOwnUnderRowLevelSecurity() throws SQLException {
    Tenant a = tenant();
    Tenant b = tenant();
    post(a, Long.toString(USERS.incrementAndGet()), "wamid.rls");
    try (Connection c = t.tenant(b.org().organization().id())) {
      assertThat(rows(c, "select count(*) from crm.whatsapp_events")).containsExactly("0");
    }
    try (Connection c = t.tenant(null)) {
      assertThat(rows(c, "select count(*) from crm.whatsapp_events")).containsExactly("0");
    }
    try (Connection c = t.tenant(a.org().organization().id())) {
      assertThat(rows(c, "select count(*) from crm.whatsapp_events")).containsExactly("1");
    }
  }
}
