package io.crmkit.whatsapp;

import static io.crmkit.whatsapp.TestWhatsApp.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.RetryableException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which tenant a WhatsApp number's webhooks reach, attacked through the public API with a gateway
 * that, like WhatsApp, lets a number be used only with the tokens of the business that holds it:
 * a route stands only on a current proof, a contested number goes to the tenant that can prove it
 * now, and nobody learns a number is routed elsewhere before proving it with a token of its own.
 */
class NumberRoutingTest {
  private static final AtomicLong NUMBERS = new AtomicLong(600_000_000_000_000L);
  private static final AtomicLong USERS = new AtomicLong(966_503_000_000L);
  private static final List<WhatsAppEvent> HEARD = new CopyOnWriteArrayList<>();
  private static TestWhatsApp t;
  private static FakeWhatsAppGateway fake;
  private static WhatsAppWebhook webhook;

  @BeforeAll
  static void setUp() {
    fake = new FakeWhatsAppGateway();
    t = TestWhatsApp.start(WhatsAppModule.builder().sessionKeys(TestWhatsApp.KEYS).gateway(fake).listener(HEARD::add)
        .verifyToken("v").app("111", "s111").build());
    webhook = t.crm.service(WhatsAppWebhook.class);
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private static String number() {
    return Long.toString(NUMBERS.incrementAndGet());
  }

  private static WhatsAppProfiles profiles(ProvisionedOrganization org) {
    return t.admin(org).service(WhatsAppProfiles.class);
  }

  private static WhatsAppProfileDraft draft(String number, String token) {
    WhatsAppProfileDraft.Builder draft = WhatsAppProfileDraft.builder().name("Sales").phoneNumber("+966500000001")
        .phoneNumberId(number).metaAppId("111");
    return (token == null ? draft : draft.session(token)).build();
  }

  /** A user writes to the number, signed as Meta signs; returns the text sent. */
  private static String deliver(String number, String text) {
    String from = Long.toString(USERS.incrementAndGet());
    String body = ("{'object':'whatsapp_business_account','entry':[{'id':'1','changes':[{'field':'messages','value':{"
        + "'messaging_product':'whatsapp','metadata':{'display_phone_number':'966500000001','phone_number_id':'"
        + number + "'},'contacts':[{'profile':{'name':'User'},'wa_id':'" + from + "'}],'messages':[{'from':'" + from
        + "','id':'wamid." + UUID.randomUUID() + "','timestamp':'" + Instant.now().getEpochSecond()
        + "','type':'text','text':{'body':'" + text + "'}}]}}]}]}").replace('\'', '"');
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    assertThat(webhook.receive(bytes, WebhookSignature.sign("s111", bytes)).status()).isEqualTo(200);
    return text;
  }

  /** Every inbound text the organization stores, oldest first. */
  private static List<String> inbox(ProvisionedOrganization org) throws SQLException {
    try (Connection c = t.tenant(org.organization().id())) {
      return rows(c, "select body from crm.messages where direction = 'inbound' order by created_at, id");
    }
  }

  private static List<String> customers(ProvisionedOrganization org) throws SQLException {
    try (Connection c = t.tenant(org.organization().id())) {
      return rows(c, "select phone from crm.customers order by phone");
    }
  }

  private static List<String> admin(String sql, Object... parameters) throws SQLException {
    try (Connection c = t.db.adminDataSource().getConnection()) {
      return rows(c, sql, parameters);
    }
  }

  private static <E extends WhatsAppEvent> List<E> heard(ProvisionedOrganization org, Class<E> type) {
    return HEARD.stream().filter(e -> e.organizationId().equals(org.organization().id())).filter(type::isInstance)
        .map(type::cast).toList();
  }

  /** What a failed call told its caller. */
  private static String refusal(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    throw new AssertionError("the call was not refused");
  }

  @Test
  void aTenantThatLostItsNumberCannotTakeItBackWhileAnotherHoldsItAndLearnsNothingOfIt() throws SQLException {
    ProvisionedOrganization a = t.provision();
    ProvisionedOrganization b = t.provision();
    String x = number();

    // 1. A connects X with a valid token, and later deactivates the profile.
    fake.usableOnlyWith(x, "token-a");
    WhatsAppProfile profileA = profiles(a).create(draft(x, "token-a"));
    deliver(x, "to A while A holds X");
    profiles(a).deactivate(profileA.id());

    // 2. X passes to B at Meta: A's old token no longer works for it.
    fake.usableOnlyWith(x, "token-b");
    String whileNobodyHoldsIt = refusal(() -> profiles(a).reactivate(profileA.id()));
    assertThatThrownBy(() -> profiles(a).replaceSession(profileA.id(), "token-a")).isInstanceOf(ValidationException.class)
        .extracting("field").isEqualTo("session");

    // 3. B connects X; A's attempts tell A only that its own token cannot use X.
    WhatsAppProfile profileB = profiles(b).create(draft(x, "token-b"));
    assertThat(profileB.verified()).isTrue();
    deliver(x, "to B while B holds X");
    String whileBHoldsIt = refusal(() -> profiles(a).reactivate(profileA.id()));
    assertThat(whileBHoldsIt).as("the same answer whether or not someone else routes X")
        .isEqualTo(whileNobodyHoldsIt)
        .startsWith("ValidationException").contains("stored access token cannot use phone number id " + x)
        .doesNotContain(b.organization().id().toString(), profileB.id().toString(), "another", "routed");

    // 4. B deactivates for a moment (to rotate a token): A still cannot take X.
    profiles(b).deactivate(profileB.id());
    assertThat(refusal(() -> profiles(a).reactivate(profileA.id()))).isEqualTo(whileNobodyHoldsIt);
    deliver(x, "while nobody proves X");
    WhatsAppProfile backB = profiles(b).reactivate(profileB.id());
    assertThat(backB.verified()).isTrue();
    assertThat(backB.status()).isEqualTo(ProfileStatus.CONNECTED);
    assertThat(refusal(() -> profiles(a).reactivate(profileA.id()))).isEqualTo(whileNobodyHoldsIt);
    deliver(x, "to B again");

    assertThat(inbox(a)).containsExactly("to A while A holds X");
    assertThat(inbox(b)).containsExactly("to B while B holds X", "to B again");
    assertThat(customers(a)).as("no customer of B's is created in A").hasSize(1);
    assertThat(profiles(a).get(profileA.id())).get().satisfies(p -> {
      assertThat(p.active()).isFalse();
      assertThat(p.verified()).isFalse();
      assertThat(p.disconnectReason()).contains(DisconnectReason.DEACTIVATED);
    });
    assertThat(fake.verified()).as("no contest: each token was checked for its own tenant, and B's always worked")
        .filteredOn(s -> s.phoneNumberId().equals(x)).extracting(WhatsAppSender::accessToken)
        .containsExactly("token-a", "token-a", "token-a", "token-b", "token-a", "token-a", "token-b", "token-a");
  }

  @Test
  void aNumberRoutedOnATokenThatNoLongerWorksMovesToTheTenantThatProvesIt() throws SQLException {
    ProvisionedOrganization a = t.provision();
    ProvisionedOrganization b = t.provision();
    String x = number();
    fake.usableOnlyWith(x, "token-a");
    WhatsAppProfile profileA = profiles(a).create(draft(x, "token-a"));
    deliver(x, "to A");

    // X moves to B at Meta; A never deactivates.
    fake.usableOnlyWith(x, "token-b");
    WhatsAppProfile profileB = profiles(b).create(draft(x, "token-b"));
    assertThat(profileB.verified()).isTrue();
    deliver(x, "to B");

    assertThat(inbox(a)).containsExactly("to A");
    assertThat(inbox(b)).containsExactly("to B");
    assertThat(profiles(a).get(profileA.id())).get().satisfies(p -> {
      assertThat(p.active()).as("still A's, but no longer routed").isTrue();
      assertThat(p.verified()).isFalse();
      assertThat(p.status()).isEqualTo(ProfileStatus.DISCONNECTED);
      assertThat(p.disconnectReason()).contains(DisconnectReason.NUMBER_PROVEN_ELSEWHERE);
    });
    assertThat(heard(a, WhatsAppEvent.ProfileDisconnected.class)).singleElement().satisfies(e -> {
      assertThat(e.profileId()).isEqualTo(profileA.id());
      assertThat(e.conversationId()).isEmpty();
      assertThat(e.seq()).isEqualTo(1);
      assertThat(e.phoneNumberId()).isEqualTo(x);
      assertThat(e.reason()).isEqualTo(DisconnectReason.NUMBER_PROVEN_ELSEWHERE);
    });
    assertThat(heard(b, WhatsAppEvent.ProfileDisconnected.class)).isEmpty();
    List<WhatsAppEvent> drained = new ArrayList<>();
    while (t.crm.service(WhatsAppOutbox.class).drain(100, drained::add) > 0) {
      // drain it all
    }
    assertThat(drained).filteredOn(e -> e instanceof WhatsAppEvent.ProfileDisconnected
            && List.of(a.organization().id(), b.organization().id()).contains(e.organizationId()))
        .as("the event is in A's outbox for other processes too").extracting(WhatsAppEvent::organizationId)
        .containsExactly(a.organization().id());
    assertThat(admin("select organization_id from crm.whatsapp_routes where phone_number_id = ?", x))
        .containsExactly(b.organization().id().toString());
  }

  @Test
  void whenBothTokensCanUseTheNumberTheNewcomerGetsAConflictNamingNoOrganizationAndNothingChanges() throws SQLException {
    ProvisionedOrganization a = t.provision();
    ProvisionedOrganization b = t.provision();
    String x = number();
    fake.usableOnlyWith(x, "token-a", "token-b");
    WhatsAppProfile profileA = profiles(a).create(draft(x, "token-a"));
    String before = admin("select proven_at::text from crm.whatsapp_routes where phone_number_id = ?", x).get(0);

    assertThatThrownBy(() -> profiles(b).create(draft(x, "token-b"))).isInstanceOf(ConflictException.class)
        .hasMessageContaining(x).hasMessageNotContaining(a.organization().id().toString())
        .hasMessageNotContaining(profileA.id().toString())
        .satisfies(e -> assertThat(((ConflictException) e).existingId()).isEmpty());
    assertThat(profiles(b).list()).as("nothing left behind").isEmpty();
    assertThat(admin("select count(*) from crm.usage_counters where organization_id = ? and value > 0",
        b.organization().id())).as("nor a counted unit").containsExactly("0");

    WhatsAppProfile waiting = profiles(b).create(draft(x, null));
    assertThat(waiting.verified()).as("typing the number proves nothing and contests nothing").isFalse();
    assertThatThrownBy(() -> profiles(b).replaceSession(waiting.id(), "token-b")).isInstanceOf(ConflictException.class);
    assertThat(profiles(b).get(waiting.id())).contains(waiting);

    assertThat(profiles(a).get(profileA.id())).get().satisfies(p -> {
      assertThat(p.verified()).isTrue();
      assertThat(p.status()).isEqualTo(ProfileStatus.CONNECTED);
    });
    assertThat(admin("select organization_id || ' ' || proven_at from crm.whatsapp_routes where phone_number_id = ?", x))
        .containsExactly(a.organization().id() + " " + before);
    assertThat(admin("select count(*) from crm.whatsapp_events where organization_id in (?, ?)", a.organization().id(),
        b.organization().id())).containsExactly("0");
  }

  @Test
  void anUnclearAnswerAboutTheHoldersTokenChangesNothing() throws SQLException {
    ProvisionedOrganization a = t.provision();
    ProvisionedOrganization b = t.provision();
    String x = number();
    fake.usableOnlyWith(x, "token-a");
    WhatsAppProfile profileA = profiles(a).create(draft(x, "token-a"));
    fake.usableOnlyWith(x, "token-b");
    fake.thenCheck(NumberCheck.OWNED).thenCheck(NumberCheck.UNKNOWN);

    assertThatThrownBy(() -> profiles(b).create(draft(x, "token-b"))).isInstanceOf(RetryableException.class)
        .hasMessageContaining("nothing was changed").hasMessageNotContaining(a.organization().id().toString());
    assertThat(profiles(b).list()).isEmpty();
    assertThat(profiles(a).get(profileA.id())).get().extracting(WhatsAppProfile::verified).isEqualTo(true);
    assertThat(admin("select organization_id from crm.whatsapp_routes where phone_number_id = ?", x))
        .containsExactly(a.organization().id().toString());
  }

  @Test
  void twoNewcomersProvingANumberItsHolderLostGetOneRouteAndTheHolderOneDisconnection() throws Exception {
    ProvisionedOrganization a = t.provision();
    ProvisionedOrganization b = t.provision();
    ProvisionedOrganization c = t.provision();
    String x = number();
    fake.usableOnlyWith(x, "token-a");
    profiles(a).create(draft(x, "token-a"));
    fake.usableOnlyWith(x, "token-b", "token-c");

    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<String>> outcomes = new ArrayList<>();
      for (Object[] newcomer : List.of(new Object[] {b, "token-b"}, new Object[] {c, "token-c"})) {
        outcomes.add(pool.submit(() -> {
          start.await();
          try {
            profiles((ProvisionedOrganization) newcomer[0]).create(draft(x, (String) newcomer[1]));
            return "routed";
          } catch (ConflictException e) {
            return "conflict";
          }
        }));
      }
      start.countDown();
      List<String> results = new ArrayList<>();
      for (Future<String> outcome : outcomes) {
        results.add(outcome.get());
      }
      assertThat(results).containsExactlyInAnyOrder("routed", "conflict");
    } finally {
      pool.shutdownNow();
    }
    assertThat(admin("select count(*) from crm.whatsapp_routes where phone_number_id = ? and organization_id in (?, ?)",
        x, b.organization().id(), c.organization().id())).containsExactly("1");
    assertThat(admin("select count(*) from crm.whatsapp_events where organization_id = ?", a.organization().id()))
        .as("one disconnection, however many took part").containsExactly("1");
  }

  @Test
  void aRefusedTokenOnSendTakesTheRouteAwayUntilTheProfileIsProvenAgain() throws SQLException {
    ProvisionedOrganization a = t.provision();
    String x = number();
    fake.usableOnlyWith(x, "token-a");
    WhatsAppProfile profile = profiles(a).create(draft(x, "token-a"));
    deliver(x, "hello");
    WhatsAppInbox inbox = t.admin(a).service(WhatsAppInbox.class);
    UUID conversation = inbox.conversations(ConversationQuery.all(), 10, Optional.empty()).items().get(0).id();

    fake.usableOnlyWith(x, "a-token-of-someone-else");
    assertThat(inbox.sendText(conversation, "are you there?").status()).isEqualTo("failed");
    assertThat(profiles(a).get(profile.id())).get().satisfies(p -> {
      assertThat(p.verified()).isFalse();
      assertThat(p.status()).isEqualTo(ProfileStatus.DISCONNECTED);
      assertThat(p.disconnectReason()).contains(DisconnectReason.SESSION_REFUSED);
    });
    assertThat(heard(a, WhatsAppEvent.ProfileDisconnected.class)).singleElement()
        .satisfies(e -> assertThat(e.reason()).isEqualTo(DisconnectReason.SESSION_REFUSED));
    deliver(x, "while the token is refused");
    assertThat(inbox.sendText(conversation, "again?").status()).isEqualTo("failed");
    assertThat(heard(a, WhatsAppEvent.ProfileDisconnected.class)).as("told once, when the proof went").hasSize(1);

    fake.usableOnlyWith(x, "token-a");
    WhatsAppProfile back = profiles(a).reactivate(profile.id());
    assertThat(back.verified()).isTrue();
    assertThat(back.status()).isEqualTo(ProfileStatus.CONNECTED);
    assertThat(back.disconnectReason()).isEmpty();
    deliver(x, "proven again");
    assertThat(inbox(a)).containsExactly("hello", "proven again");
  }

  /** A gateway that refuses the first send with {@code refused}, after running {@code meanwhile}. */
  private static WhatsAppGateway refusingOnce(String refused, Runnable meanwhile) {
    return new WhatsAppGateway() {
      private boolean done;

      @Override
      public SendResult send(WhatsAppSender sender, OutgoingMessage message) {
        return fake.send(sender, message);
      }

      @Override
      public synchronized SendResult send(WhatsAppSender sender, OutgoingMessage message, String tag) {
        if (!done && sender.accessToken().equals(refused)) {
          done = true;
          meanwhile.run();
          return new SendResult.Failed(new SendFailure(SendFailure.Kind.AUTHENTICATION, 190, "token expired"));
        }
        return fake.send(sender, message, tag);
      }

      @Override
      public SendResult markRead(WhatsAppSender sender, String providerMessageId) {
        return fake.markRead(sender, providerMessageId);
      }

      @Override
      public NumberCheck verifyNumber(WhatsAppSender sender) {
        return fake.verifyNumber(sender);
      }

      @Override
      public MediaFetch fetchMedia(WhatsAppSender sender, String mediaId, MediaSink sink) {
        return fake.fetchMedia(sender, mediaId, sink);
      }
    };
  }

  @Test
  void aRefusalOfATokenReplacedWhileItsSendWasOnItsWayLeavesTheNewProofStanding() throws SQLException {
    ProvisionedOrganization a = t.provision();
    String x = number();
    WhatsAppProfile profile = profiles(a).create(draft(x, "token-old"));
    deliver(x, "hello");
    Crm racing = t.crm(WhatsAppModule.builder().sessionKeys(TestWhatsApp.KEYS)
        .gateway(refusingOnce("token-old", () -> profiles(a).replaceSession(profile.id(), "token-new"))).build());
    WhatsAppInbox inbox = TestWhatsApp.admin(racing, a).service(WhatsAppInbox.class);
    UUID conversation = inbox.conversations(ConversationQuery.all(), 10, Optional.empty()).items().get(0).id();

    assertThat(inbox.sendText(conversation, "hi").status()).as("the old token's send").isEqualTo("failed");
    assertThat(profiles(a).get(profile.id())).get().satisfies(p -> {
      assertThat(p.verified()).as("the new token's proof stands").isTrue();
      assertThat(p.status()).isEqualTo(ProfileStatus.CONNECTED);
    });
    assertThat(heard(a, WhatsAppEvent.ProfileDisconnected.class)).isEmpty();
    deliver(x, "still routed");
    assertThat(inbox(a)).containsExactly("hello", "still routed");
  }

  @Test
  void aSessionThisProcessCannotReadFailsTheSendButIsNoRefusalByWhatsApp() throws SQLException {
    ProvisionedOrganization a = t.provision();
    String x = number();
    WhatsAppProfile profile = profiles(a).create(draft(x, "token-a"));
    deliver(x, "hello");
    Crm withoutTheKey = t.crm(WhatsAppModule.builder().sessionKeys(SessionKeys.of("other", Map.of("other",
        new byte[32]))).gateway(fake).build());
    WhatsAppInbox inbox = TestWhatsApp.admin(withoutTheKey, a).service(WhatsAppInbox.class);
    UUID conversation = inbox.conversations(ConversationQuery.all(), 10, Optional.empty()).items().get(0).id();

    WhatsAppMessage reply = inbox.sendText(conversation, "hi");
    assertThat(reply.status()).isEqualTo("failed");
    assertThat(reply.errorMessage()).get().asString().startsWith("NOT_HANDED_OVER");
    assertThat(profiles(a).get(profile.id())).get().extracting(WhatsAppProfile::verified).isEqualTo(true);
    assertThat(admin("select count(*) from crm.whatsapp_routes where phone_number_id = ?", x)).containsExactly("1");
  }

  @Test
  void reactivatingAProvenProfileChecksItsTokenAgain() throws SQLException {
    ProvisionedOrganization a = t.provision();
    String x = number();
    WhatsAppProfile profile = profiles(a).create(draft(x, "token-a"));
    String first = admin("select proven_at::text from crm.whatsapp_routes where phone_number_id = ?", x).get(0);
    assertThat(profiles(a).reactivate(profile.id()).verified()).isTrue();
    assertThat(admin("select (proven_at > ?::timestamptz)::text from crm.whatsapp_routes where phone_number_id = ?",
        first, x)).as("stamped afresh").containsExactly("true");

    fake.usableOnlyWith(x, "someone-else");
    assertThatThrownBy(() -> profiles(a).reactivate(profile.id())).isInstanceOf(ValidationException.class);
    assertThat(profiles(a).get(profile.id())).get().satisfies(p -> {
      assertThat(p.verified()).as("WhatsApp refuted the proof").isFalse();
      assertThat(p.disconnectReason()).contains(DisconnectReason.SESSION_REFUSED);
    });
    assertThat(admin("select count(*) from crm.whatsapp_routes where phone_number_id = ?", x)).containsExactly("0");
  }

  @Test
  void deactivationTakesTheProofAndReactivationChecksTheStoredTokenChangingNothingUnlessItWorks() throws SQLException {
    ProvisionedOrganization a = t.provision();
    String x = number();
    WhatsAppProfile profile = profiles(a).create(draft(x, "token-a"));
    WhatsAppProfile off = profiles(a).deactivate(profile.id());
    assertThat(off.verified()).isFalse();
    assertThat(off.disconnectReason()).contains(DisconnectReason.DEACTIVATED);
    assertThat(admin("select count(*) from crm.whatsapp_routes where phone_number_id = ?", x)).containsExactly("0");

    fake.thenCheck(NumberCheck.UNKNOWN);
    assertThatThrownBy(() -> profiles(a).reactivate(profile.id())).isInstanceOf(RetryableException.class);
    fake.usableOnlyWith(x, "another-token");
    assertThatThrownBy(() -> profiles(a).reactivate(profile.id())).isInstanceOf(ValidationException.class);
    assertThat(profiles(a).get(profile.id())).contains(off);
    assertThat(admin("select count(*) from crm.usage_counters where organization_id = ? and metric = 'whatsapp_profiles'"
        + " and value > 0", a.organization().id())).as("no unit taken by a refused reactivation").containsExactly("0");

    WhatsAppProfile renewed = profiles(a).replaceSession(profile.id(), "another-token");
    assertThat(renewed.active()).isFalse();
    assertThat(renewed.verified()).as("an inactive profile proves itself when reactivated").isFalse();
    assertThat(profiles(a).reactivate(profile.id()).verified()).isTrue();
    assertThat(admin("select count(*) from crm.whatsapp_routes where phone_number_id = ?", x)).containsExactly("1");
  }

  @Test
  void aNewTokenStampsAFreshProofAndTheRouteStandsOnIt() throws SQLException {
    ProvisionedOrganization a = t.provision();
    String x = number();
    WhatsAppProfile profile = profiles(a).create(draft(x, "token-1"));
    String first = admin("select proven_at::text from crm.whatsapp_routes where phone_number_id = ?", x).get(0);
    profiles(a).replaceSession(profile.id(), "token-2");
    assertThat(admin("select (r.proven_at > ?::timestamptz and r.proven_at = p.verified_at)::text"
        + " from crm.whatsapp_routes r join crm.whatsapp_profiles p on p.id = r.profile_id"
        + " where r.phone_number_id = ?", first, x)).containsExactly("true");
    assertThat(t.admin(a).service(WhatsAppProfiles.class).sender(profile.id())).map(WhatsAppSender::accessToken)
        .contains("token-2");
  }

  @Test
  void aStatusCanSayConnectedOnlyOnAProofAndAnythingElseTakesTheProof() throws SQLException {
    ProvisionedOrganization a = t.provision();
    String x = number();
    WhatsAppProfile waiting = profiles(a).create(draft(x, null));
    assertThatThrownBy(() -> profiles(a).setStatus(waiting.id(), ProfileStatus.CONNECTED))
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("status");

    WhatsAppProfile proven = profiles(a).replaceSession(waiting.id(), "token-a");
    WhatsAppProfile qr = profiles(a).setStatus(proven.id(), ProfileStatus.QR_REQUIRED);
    assertThat(qr.status()).isEqualTo(ProfileStatus.QR_REQUIRED);
    assertThat(qr.verified()).isFalse();
    assertThat(qr.disconnectReason()).contains(DisconnectReason.SESSION_REFUSED);
    assertThat(admin("select count(*) from crm.whatsapp_routes where phone_number_id = ?", x)).containsExactly("0");
    assertThat(heard(a, WhatsAppEvent.ProfileDisconnected.class)).hasSize(1);
  }

  @Test
  void theCallsThatAskWhatsAppRefuseToRunInsideAHostsTransaction() {
    ProvisionedOrganization a = t.provision();
    String x = number();
    TenantScope scope = t.admin(a);
    WhatsAppProfile waiting = profiles(a).create(draft(x, null));
    int checks = fake.verified().size();
    for (java.util.function.Function<WhatsAppProfiles, Object> call : List.<java.util.function.Function<WhatsAppProfiles,
        Object>>of(p -> p.create(draft(number(), "token")), p -> p.replaceSession(waiting.id(), "token"),
        p -> p.reactivate(waiting.id()))) {
      assertThatThrownBy(() -> scope.inTransaction(tx -> call.apply(tx.service(WhatsAppProfiles.class))))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("outside TenantScope.inTransaction");
    }
    assertThat(fake.verified()).as("WhatsApp was not asked").hasSize(checks);
    assertThat(profiles(a).list()).containsExactly(waiting);
  }
}
