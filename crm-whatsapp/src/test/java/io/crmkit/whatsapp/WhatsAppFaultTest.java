package io.crmkit.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.RetryableException;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.testdb.Backends;
import io.crmkit.testdb.Jdbc;
import io.crmkit.testdb.RestartableServer;
import io.crmkit.testdb.RowCounts;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import io.crmkit.whatsapp.media.FileSystemMediaStore;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of a real PostgreSQL under crm-whatsapp: a server restart in the middle of a webhook
 * delivery, and each job's session killed in the middle of its run, whose work another process
 * (another Crm on the same database) then finishes, once.
 */
class WhatsAppFaultTest {
  private static final String RUNTIME = TestPostgres.RUNTIME_ROLE;
  private static final AtomicLong NUMBERS = new AtomicLong(900_000_000_000_000L);
  private static final AtomicLong USERS = new AtomicLong(966_509_000_000L);
  private static TestWhatsApp t;
  private static FakeWhatsAppGateway fake;
  private static FileSystemMediaStore store;
  private static ExecutorService threads;
  @TempDir
  static Path media;

  @BeforeAll
  static void setUp() throws java.io.IOException {
    fake = new FakeWhatsAppGateway();
    store = new FileSystemMediaStore(media);
    t = TestWhatsApp.start(module(fake));
    threads = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void tearDown() {
    threads.shutdownNow();
    t.close();
  }

  /** crm-whatsapp as each "process" of these tests configures it, with its own gateway. */
  private static WhatsAppModule module(WhatsAppGateway gateway) {
    return WhatsAppModule.builder().sessionKeys(TestWhatsApp.KEYS).gateway(gateway).mediaStore(store)
        .verifyToken("v").app("111", "s111").build();
  }

  private record Tenant(ProvisionedOrganization org, String number) {
    UUID id() {
      return org.organization().id();
    }
  }

  private static Tenant tenant(Crm crm) {
    String slug = "org-" + UUID.randomUUID().toString().substring(0, 8);
    ProvisionedOrganization org = crm.platform().provision(OrganizationDraft.builder().name(slug).slug(slug)
        .plan("professional").defaultRegion("SA").admin("admin@" + slug + ".example").build());
    String number = Long.toString(NUMBERS.incrementAndGet());
    TestWhatsApp.admin(crm, org).service(WhatsAppProfiles.class).create(WhatsAppProfileDraft.builder().name("Sales")
        .phoneNumber("+966500000001").phoneNumberId(number).metaAppId("111").session("token").build());
    return new Tenant(org, number);
  }

  private static String user() {
    return Long.toString(USERS.incrementAndGet());
  }

  /** A signed delivery of one text message, or of an image with {@code mediaId}. */
  private static byte[] delivery(Tenant tenant, String from, String wamid, String mediaId) {
    String content = mediaId == null ? "'type':'text','text':{'body':'hi'}"
        : "'type':'image','image':{'mime_type':'image/jpeg','id':'" + mediaId + "'}";
    return ("{'object':'whatsapp_business_account','entry':[{'id':'1','changes':[{'field':'messages','value':{"
        + "'messaging_product':'whatsapp','metadata':{'display_phone_number':'1','phone_number_id':'" + tenant.number()
        + "'},'contacts':[{'profile':{'name':'U'},'wa_id':'" + from + "'}],'messages':[{'from':'" + from + "','id':'"
        + wamid + "','timestamp':'" + Instant.now().getEpochSecond() + "'," + content + "}]}}]}]}")
        .replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  private static int post(Crm crm, byte[] body) {
    return crm.service(WhatsAppWebhook.class).receive(body, WebhookSignature.sign("s111", body)).status();
  }

  /** A row locked by the test (the statement's FOR … clause) until the returned connection closes. */
  private static Connection lock(DataSource admin, String sql, Object... parameters) throws SQLException {
    Connection c = admin.getConnection();
    c.setAutoCommit(false);
    assertThat(Jdbc.rows(c, sql, parameters)).as("the row to lock").hasSize(1);
    return c;
  }

  private static List<String> admin(String sql, Object... parameters) throws SQLException {
    try (Connection c = t.db.adminDataSource().getConnection()) {
      return Jdbc.rows(c, sql, parameters);
    }
  }

  @Test
  void aServerRestartDuringADeliveryAnswers503AndTheRedeliveryIsStoredOnce() throws Exception {
    try (RestartableServer server = RestartableServer.launch(); TestDatabase db = server.createDatabase();
        HikariDataSource pool = pool(db.runtimeDataSource());
        Crm crm = Crm.builder().dataSource(pool).migrationDataSource(db.adminDataSource()).module(module(fake))
            .build()) {
      crm.migrate();
      Tenant a = tenant(crm);
      // A first customer, so the customers' usage counter has the row the test locks below.
      assertThat(post(crm, delivery(a, user(), "wamid.before", null))).isEqualTo(200);
      Map<String, Long> before = RowCounts.of(db.adminDataSource(), "crm");
      byte[] body = delivery(a, user(), "wamid.during-restart", null);

      Future<Integer> inFlight;
      try (Connection lock = lock(db.adminDataSource(), "select value from crm.usage_counters where organization_id = ?"
          + " and metric = 'customers' for update", a.id())) {
        // The delivery has stored its contact, conversation and message and waits to count the customer.
        inFlight = threads.submit(() -> post(crm, body));
        Backends.await(db.adminDataSource(), RUNTIME, Backends.Backend::waitsForLock);
        server.stop();
      }
      assertThat(inFlight.get(60, TimeUnit.SECONDS)).as("transient: Meta delivers it again").isEqualTo(503);
      assertThat(post(crm, body)).as("while the server is down").isEqualTo(503);

      server.start();
      assertThat(RowCounts.of(db.adminDataSource(), "crm")).as("nothing of the delivery cut off").isEqualTo(before);
      assertThat(redeliver(crm, body)).as("the redelivery, on the same Crm").isEqualTo(200);
      Map<String, Long> stored = RowCounts.of(db.adminDataSource(), "crm");
      assertThat(post(crm, body)).isEqualTo(200);
      assertThat(RowCounts.of(db.adminDataSource(), "crm")).as("a second redelivery changes nothing").isEqualTo(stored);
      try (Connection c = db.adminDataSource().getConnection()) {
        assertThat(Jdbc.rows(c, "select wa_message_id from crm.messages order by created_at"))
            .containsExactly("wamid.before", "wamid.during-restart");
        assertThat(Jdbc.rows(c, "select count(*) from crm.customer_activities where activity_type = 'message'"))
            .containsExactly("2");
      }
    }
  }

  /**
   * Delivers {@code body} again as Meta does after a 503: again while it is answered 503, for at
   * most 30 s. Right after a restart the pool may still be opening its first new connection
   * (a busy machine takes longer than the pool's 1 s wait), which is a 503 Meta retries.
   */
  private static int redeliver(Crm crm, byte[] body) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int status = post(crm, body);
    while (status == 503 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      status = post(crm, body);
    }
    return status;
  }

  private static HikariDataSource pool(DataSource runtime) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(runtime);
    config.setMaximumPoolSize(4);
    // While the server is down, a call waits this long for a connection, then is retryable.
    config.setConnectionTimeout(1000);
    return new HikariDataSource(config);
  }

  /** The WhatsApp message id of a received message's event. */
  private static String wamid(WhatsAppEvent event) {
    return ((WhatsAppEvent.MessageReceived) event).waMessageId();
  }

  @Test
  void anOutboxDrainKilledMidRunLeavesItsEventsToTheNextDrainInOrder() throws Exception {
    while (t.crm.service(WhatsAppOutbox.class).drain(1000, e -> { }) > 0) {
      // other tests' events
    }
    Tenant a = tenant(t.crm);
    String first = user();
    String second = user();
    List<String> posted = List.of("wamid.o-1", "wamid.o-2", "wamid.o-3");
    for (String wamid : posted) {
      assertThat(post(t.crm, delivery(a, first, wamid, null))).isEqualTo(200);
    }
    assertThat(post(t.crm, delivery(a, second, "wamid.o-other", null))).isEqualTo(200);

    List<String> handledByTheKilled = new CopyOnWriteArrayList<>();
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch killed = new CountDownLatch(1);
    Future<Integer> killedRun = threads.submit(() -> t.crm.service(WhatsAppOutbox.class).drain(100, e -> {
      handledByTheKilled.add(wamid(e));
      inHandler.countDown();
      killed.await();
    }));
    assertThat(inHandler.await(30, TimeUnit.SECONDS)).isTrue();
    Backends.terminate(t.db.adminDataSource(),
        Backends.await(t.db.adminDataSource(), RUNTIME, Backends.Backend::idleInTransaction).pid());
    killed.countDown();
    assertThatThrownBy(() -> killedRun.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(RetryableException.class);
    assertThat(handledByTheKilled).as("handed out, never acknowledged").isNotEmpty();

    Crm otherProcess = t.crm(module(new FakeWhatsAppGateway()));
    List<WhatsAppEvent> next = new ArrayList<>();
    while (otherProcess.service(WhatsAppOutbox.class).drain(100, next::add) > 0) {
      // until nothing is left
    }
    assertThat(next).extracting(WhatsAppFaultTest::wamid).as("every event once").containsExactlyInAnyOrder(
        "wamid.o-1", "wamid.o-2", "wamid.o-3", "wamid.o-other");
    assertThat(next.stream().map(WhatsAppFaultTest::wamid).filter(posted::contains).toList())
        .as("a conversation's in its order").isEqualTo(posted);
    assertThat(otherProcess.service(WhatsAppOutbox.class).drain(100, e -> { })).isZero();
  }

  /**
   * One "process"'s gateway: the fake's answers, each fetch counted by media id, and
   * {@code afterAnswer} run with what each answer is about (the reply's id from its tag, or the
   * media id) before it goes back to the job.
   */
  private static final class ProcessGateway implements WhatsAppGateway {
    final FakeWhatsAppGateway fake;
    final Map<String, Integer> fetches = new ConcurrentHashMap<>();
    final Consumer<String> afterAnswer;

    ProcessGateway(FakeWhatsAppGateway fake, Consumer<String> afterAnswer) {
      this.fake = fake;
      this.afterAnswer = afterAnswer;
    }

    @Override
    public SendResult send(WhatsAppSender sender, OutgoingMessage message) {
      throw new AssertionError("replies are sent with their tag");
    }

    @Override
    public SendResult send(WhatsAppSender sender, OutgoingMessage message, String tag) {
      SendResult result = fake.send(sender, message, tag);
      afterAnswer.accept(tag.substring("crmkit.reply:".length()));
      return result;
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
      fetches.merge(mediaId, 1, Integer::sum);
      MediaFetch result = fake.fetchMedia(sender, mediaId, sink);
      afterAnswer.accept(mediaId);
      return result;
    }
  }

  /** What a killed run did: the key of the answer whose record was killed, and what the job returned. */
  private record Killed<R>(String key, R result, ProcessGateway gateway) {}

  /**
   * Runs {@code job} on a process of its own whose first gateway answer has the test lock the
   * message row {@code lockedRow} selects by that answer's key, so that the job's record of the
   * answer waits; then kills the waiting session, releases the row and lets the job go on.
   */
  private static <R> Killed<R> killTheRecordOfTheFirstAnswer(FakeWhatsAppGateway fake, String lockedRow,
      Function<Crm, R> job) throws Exception {
    AtomicReference<String> key = new AtomicReference<>();
    AtomicReference<Connection> lock = new AtomicReference<>();
    ProcessGateway gateway = new ProcessGateway(fake, answered -> {
      if (key.compareAndSet(null, answered)) {
        try {
          lock.set(lock(t.db.adminDataSource(), lockedRow, answered));
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }
    });
    Crm process = t.crm(module(gateway));
    Future<R> run = threads.submit(() -> job.apply(process));
    Backends.Backend recording = Backends.await(t.db.adminDataSource(), RUNTIME, Backends.Backend::waitsForLock);
    Backends.terminate(t.db.adminDataSource(), recording.pid());
    lock.get().close();
    return new Killed<>(key.get(), run.get(60, TimeUnit.SECONDS), gateway);
  }

  @Test
  void aStalledReplyJobKilledAfterASendNeverSendsItAgain() throws Exception {
    Tenant a = tenant(t.crm);
    assertThat(post(t.crm, delivery(a, user(), "wamid.r-in", null))).isEqualTo(200);
    TenantScope admin = TestWhatsApp.admin(t.crm, a.org());
    UUID conversation = admin.service(WhatsAppInbox.class).conversations(ConversationQuery.all(), 1, Optional.empty())
        .items().get(0).id();
    List<UUID> left = new ArrayList<>();
    for (String text : List.of("left 1", "left 2")) {
      try (Connection c = t.db.runtimeDataSource().getConnection()) {
        c.setAutoCommit(false);
        // The host's commit hook never runs the sends: the process stopped right after the commit.
        left.add(admin.joining(c, action -> { }).service(WhatsAppInbox.class).sendText(conversation, text).id());
        c.commit();
      }
    }
    t.db.executeAsAdmin("update crm.messages set created_at = now() - interval '1 hour' where id in ('" + left.get(0)
        + "', '" + left.get(1) + "')");

    Killed<Integer> killed = killTheRecordOfTheFirstAnswer(new FakeWhatsAppGateway(),
        "select id from crm.messages where id = ?::uuid for no key update",
        process -> process.service(WhatsAppJobs.class).resumeStalledReplies(WhatsAppJobs.MIN_STALL, 100));
    assertThat(killed.gateway().fake.sent()).extracting(s -> ((OutgoingMessage.Text) s.message()).body())
        .as("the killed run sent both").containsExactlyInAnyOrder("left 1", "left 2");
    assertThat(killed.result()).as("and recorded one").isEqualTo(1);
    UUID unrecorded = UUID.fromString(killed.key());
    UUID recorded = left.get(0).equals(unrecorded) ? left.get(1) : left.get(0);
    assertThat(admin("select status from crm.messages where id = ?", unrecorded)).containsExactly("sending");
    assertThat(admin("select status from crm.messages where id = ?", recorded)).containsExactly("sent");

    // Another process, once the claim is older than a send can take: unknown, never sent again.
    t.db.executeAsAdmin("update crm.messages set status_at = now() - interval '1 hour' where id = '" + unrecorded
        + "'");
    FakeWhatsAppGateway next = new FakeWhatsAppGateway();
    assertThat(t.crm(module(next)).service(WhatsAppJobs.class).resumeStalledReplies(WhatsAppJobs.MIN_STALL, 100))
        .isZero();
    assertThat(next.sent()).isEmpty();
    assertThat(admin("select status from crm.messages where id = ?", unrecorded)).containsExactly("unknown");
  }

  @Test
  void aMediaJobKilledWhileRecordingLeavesTheMediaToTheNextRunWhichFetchesItOnce() throws Exception {
    Tenant a = tenant(t.crm);
    List<String> ids = List.of("m-kill-1", "m-kill-2");
    for (String id : ids) {
      fake.media(id, "image/jpeg", id.getBytes(StandardCharsets.UTF_8));
      assertThat(post(t.crm, delivery(a, user(), "wamid." + id, id))).isEqualTo(200);
    }
    Killed<Integer> killed = killTheRecordOfTheFirstAnswer(fake,
        "select id from crm.messages where media_id = ? for no key update",
        process -> process.service(WhatsAppJobs.class).fetchPendingMedia(100));
    String unrecorded = killed.key();
    assertThat(killed.gateway().fetches).as("the killed run fetched both").containsOnlyKeys(ids);
    assertThat(killed.result()).as("and recorded the other").isEqualTo(1);
    assertThat(admin("select media_id from crm.messages where organization_id = ? and media_id is not null"
        + " and media_storage_key is null", a.id())).containsExactly(unrecorded);

    // The failed record counts as a failed attempt: another process fetches it once its backoff ends.
    t.db.executeAsAdmin("update crm.messages set media_fetch_claimed_until = now() - interval '1 second'"
        + " where media_id = '" + unrecorded + "'");
    ProcessGateway next = new ProcessGateway(fake, answered -> { });
    Crm otherProcess = t.crm(module(next));
    assertThat(otherProcess.service(WhatsAppJobs.class).fetchPendingMedia(100)).isEqualTo(1);
    assertThat(otherProcess.service(WhatsAppJobs.class).fetchPendingMedia(100)).isZero();
    assertThat(next.fetches).as("fetched once, the recorded one not again").containsExactly(Map.entry(unrecorded, 1));
    assertThat(admin("select media_id || ' ' || media_fetch_attempts || ' ' || (media_storage_key is not null)"
        + " from crm.messages where organization_id = ? and media_id is not null", a.id()))
        .containsExactlyInAnyOrder(unrecorded + " 2 true",
            ids.stream().filter(id -> !id.equals(unrecorded)).findFirst().orElseThrow() + " 1 true");
  }
}
