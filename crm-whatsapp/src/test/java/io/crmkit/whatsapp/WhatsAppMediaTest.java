package io.crmkit.whatsapp;

import static io.crmkit.whatsapp.TestWhatsApp.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.Crm;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.whatsapp.media.FileSystemMediaStore;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inbound media: metadata with the message, bytes fetched later into the media store. */
class WhatsAppMediaTest {
  private static TestWhatsApp t;
  private static FakeWhatsAppGateway fake;
  private static WhatsAppWebhook webhook;
  private static FileSystemMediaStore store;
  @TempDir
  static Path media;

  @BeforeAll
  static void setUp() throws Exception {
    fake = new FakeWhatsAppGateway();
    store = new FileSystemMediaStore(media);
    t = TestWhatsApp.start(WhatsAppModule.builder().sessionKeys(TestWhatsApp.KEYS).gateway(fake).mediaStore(store)
        .verifyToken("v").app("111", "s111").build());
    webhook = t.crm.service(WhatsAppWebhook.class);
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private static ProvisionedOrganization tenantWithImage(String number, String mediaId) {
    ProvisionedOrganization org = t.provision();
    t.admin(org).service(WhatsAppProfiles.class).create(WhatsAppProfileDraft.builder().name("Sales")
        .phoneNumber("+966500000001").phoneNumberId(number).metaAppId("111").session("token").build());
    byte[] body = ("{'object':'whatsapp_business_account','entry':[{'id':'1','changes':[{'field':'messages','value':{"
        + "'messaging_product':'whatsapp','metadata':{'display_phone_number':'1','phone_number_id':'" + number + "'},"
        + "'contacts':[{'profile':{'name':'U'},'wa_id':'966501119999'}],'messages':[{'from':'966501119999','id':'wamid."
        + mediaId + "','timestamp':'" + Instant.now().getEpochSecond() + "','type':'image','image':{'caption':'receipt',"
        + "'mime_type':'image/jpeg','id':'" + mediaId + "'}}]}}]}]}").replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    assertThat(webhook.receive(body, WebhookSignature.sign("s111", body)).status()).isEqualTo(200);
    return org;
  }

  private static String media(ProvisionedOrganization org) throws SQLException {
    try (Connection c = t.tenant(org.organization().id())) {
      return rows(c, "select coalesce(media_storage_key, '-') || ' ' || coalesce(media_size::text, '-') || ' '"
          + " || media_fetch_attempts || ' ' || coalesce(media_fetch_error, '-') from crm.messages").get(0);
    }
  }

  /** The fake, but each fetch of media {@code block} names waits for {@code release}. */
  private static WhatsAppGateway blocking(java.util.function.Predicate<String> block,
      java.util.concurrent.CountDownLatch inFetch, java.util.concurrent.CountDownLatch release,
      Map<String, Integer> fetches) {
    return new WhatsAppGateway() {
      @Override
      public SendResult send(WhatsAppSender sender, OutgoingMessage message) {
        return fake.send(sender, message);
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
        fetches.merge(mediaId, 1, Integer::sum);
        if (block.test(mediaId)) {
          inFetch.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return fake.fetchMedia(sender, mediaId, sink);
      }
    };
  }

  @Test
  void mediaIsFetchedAfterTheWebhookByTheJobAndStoredOnce() throws Exception {
    fake.media("m-ok", "image/jpeg", "JPEG-BYTES".getBytes(StandardCharsets.UTF_8));
    ProvisionedOrganization org = tenantWithImage("700000000000001", "m-ok");
    assertThat(media(org)).as("nothing fetched inside the webhook").isEqualTo("- - 0 -");

    assertThat(t.crm.service(WhatsAppJobs.class).fetchPendingMedia(100)).isEqualTo(1);
    String key = org.organization().id() + "/";
    assertThat(media(org)).startsWith(key).endsWith(" 10 1 -");
    try (InputStream in = store.open(media(org).split(" ")[0])) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("JPEG-BYTES");
    }
    assertThat(t.crm.service(WhatsAppJobs.class).fetchPendingMedia(100)).as("stored once").isZero();
    try (Connection c = t.tenant(org.organization().id())) {
      assertThat(rows(c, "select value from crm.usage_counters where metric = 'storage_bytes'"))
          .as("the organization's storage used, counted once").containsExactly("10");
    }
  }

  @Test
  void aFailedFetchIsTriedAgainAndMediaTheProviderLostIsMarkedGone() throws Exception {
    fake.media("m-retry", "image/jpeg", "X".getBytes(StandardCharsets.UTF_8));
    ProvisionedOrganization retried = tenantWithImage("700000000000002", "m-retry");
    fake.thenFetch(WhatsAppGateway.MediaFetch.FAILED);
    t.crm.service(WhatsAppJobs.class).fetchPendingMedia(100);
    assertThat(media(retried)).isEqualTo("- - 1 -");
    assertThat(t.crm.service(WhatsAppJobs.class).fetchPendingMedia(100)).as("not again before its backoff ends").isZero();
    try (Connection c = t.db.adminDataSource().getConnection()) {
      assertThat(rows(c, "select media_fetch_claimed_until between now() + interval '20 seconds'"
          + " and now() + interval '40 seconds' from crm.messages where media_id = 'm-retry'"))
          .as("30 s after the first failure").containsExactly("t");
      c.createStatement().execute("update crm.messages set media_fetch_claimed_until = now() - interval '1 second'"
          + " where media_id = 'm-retry'");
    }
    t.crm.service(WhatsAppJobs.class).fetchPendingMedia(100);
    assertThat(media(retried)).endsWith(" 1 2 -");

    ProvisionedOrganization gone = tenantWithImage("700000000000003", "m-never-there");
    t.crm.service(WhatsAppJobs.class).fetchPendingMedia(100);
    assertThat(media(gone)).isEqualTo("- - 1 the provider no longer has this media");
    assertThat(t.crm.service(WhatsAppJobs.class).fetchPendingMedia(100)).as("not tried again").isZero();
  }

  @Test
  void runsAtTheSameTimeNeverFetchTheSameMediaAndAStoppedRunsClaimEnds() throws Exception {
    fake.media("m-c1", "image/jpeg", "ONE".getBytes(StandardCharsets.UTF_8));
    fake.media("m-c2", "image/jpeg", "TWO".getBytes(StandardCharsets.UTF_8));
    ProvisionedOrganization one = tenantWithImage("700000000000011", "m-c1");
    ProvisionedOrganization two = tenantWithImage("700000000000012", "m-c2");
    java.util.concurrent.CountDownLatch inFetch = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Map<String, Integer> fetches = new java.util.concurrent.ConcurrentHashMap<>();
    WhatsAppGateway slow = blocking(id -> true, inFetch, release, fetches);
    Crm slowRun = t.crm(WhatsAppModule.builder().sessionKeys(TestWhatsApp.KEYS).gateway(slow).mediaStore(store)
        .build());
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      java.util.concurrent.Future<Integer> first = pool.submit(() -> slowRun.service(WhatsAppJobs.class).fetchPendingMedia(100));
      assertThat(inFetch.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(t.crm.service(WhatsAppJobs.class).fetchPendingMedia(100)).as("the first run holds what it claimed").isZero();
      release.countDown();
      assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS)).isGreaterThanOrEqualTo(2);
    } finally {
      pool.shutdownNow();
    }
    assertThat(fetches).containsEntry("m-c1", 1).containsEntry("m-c2", 1);
    assertThat(media(one)).endsWith(" 3 1 -");
    assertThat(media(two)).endsWith(" 3 1 -");

    // A run that claimed and stopped: its claim holds until the lease ends, then another run fetches.
    fake.media("m-c3", "image/jpeg", "THREE".getBytes(StandardCharsets.UTF_8));
    ProvisionedOrganization three = tenantWithImage("700000000000013", "m-c3");
    try (Connection c = t.tenant(null)) {
      assertThat(rows(c, "select media_id from crm.claim_whatsapp_media(100, '10 minutes', gen_random_uuid())")).contains("m-c3");
      c.commit();
    }
    assertThat(t.crm.service(WhatsAppJobs.class).fetchPendingMedia(100)).isZero();
    try (Connection c = t.db.adminDataSource().getConnection()) {
      c.createStatement().execute("update crm.messages set media_fetch_claimed_until = now() - interval '1 second'"
          + " where media_id = 'm-c3'");
    }
    assertThat(t.crm.service(WhatsAppJobs.class).fetchPendingMedia(100)).isEqualTo(1);
    assertThat(media(three)).endsWith(" 5 1 -");
  }

  @Test
  void aRunThatOutlivesItsClaimNeverRecordsOverTheRunThatTookOver() throws Exception {
    fake.media("m-late", "image/jpeg", "LATE".getBytes(StandardCharsets.UTF_8));
    ProvisionedOrganization org = tenantWithImage("700000000000021", "m-late");
    java.util.concurrent.CountDownLatch inFetch = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Crm slowRun = t.crm(WhatsAppModule.builder().sessionKeys(TestWhatsApp.KEYS)
        .gateway(blocking(id -> id.equals("m-late"), inFetch, release, new java.util.concurrent.ConcurrentHashMap<>()))
        .mediaStore(store).build());
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      java.util.concurrent.Future<Integer> late = pool.submit(() -> slowRun.service(WhatsAppJobs.class).fetchPendingMedia(100));
      assertThat(inFetch.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      try (Connection c = t.db.adminDataSource().getConnection()) {
        c.createStatement().execute("update crm.messages set media_fetch_claimed_until = now() - interval '1 second'"
            + " where media_id = 'm-late'");
      }
      assertThat(t.crm.service(WhatsAppJobs.class).fetchPendingMedia(100)).as("the claim ended: another run takes it over").isEqualTo(1);
      String recorded = media(org);
      release.countDown();
      assertThat(late.get(10, java.util.concurrent.TimeUnit.SECONDS)).as("the late run records nothing").isZero();
      assertThat(media(org)).isEqualTo(recorded).endsWith(" 4 1 -");
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void fetchingNeedsAStoreAndKeysAreChecked() {
    WhatsAppJobs without = t.crm(WhatsAppModule.builder().sessionKeys(TestWhatsApp.KEYS).gateway(fake).build())
        .service(WhatsAppJobs.class);
    assertThatThrownBy(() -> without.fetchPendingMedia(10)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("mediaStore(…)");
    assertThatThrownBy(() -> store.open("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
  }
}
