package io.crmkit.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.core.Page;
import io.crmkit.core.TenantScope;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.spi.Keyset;
import io.crmkit.whatsapp.OutgoingMessage.MediaKind;
import io.crmkit.whatsapp.OutgoingMessage.MediaSource;
import io.crmkit.whatsapp.ServiceCases.Invalid;
import io.crmkit.whatsapp.ServiceCases.NotFound;
import io.crmkit.whatsapp.ServiceCases.Returned;
import io.crmkit.whatsapp.media.FileSystemMediaStore;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every public method of the inbox, the profiles, the outbox and the jobs, driven with input that
 * cannot be stored or is out of range and with ids the tenant cannot see: each answers a typed
 * exception naming the field or the entity, and no row changes. Valid edge cases (right-to-left
 * marks, SQL metacharacters, emoji, text at its limit) are stored and read back unchanged.
 */
class WhatsAppBadInputTest {
  private static final AtomicLong NUMBERS = new AtomicLong(700_000_000_000_000L);
  private static final AtomicLong USERS = new AtomicLong(966_504_000_000L);
  /** Text a host may well send: a right-to-left mark, Arabic, SQL metacharacters, LIKE wildcards, emoji. */
  private static final String EDGY = "\u200Fطلب 'A-1042'; drop table crm.conversations; -- %_\\ 🚚";
  private static TestWhatsApp t;
  private static FakeWhatsAppGateway fake;
  private static WhatsAppWebhook webhook;
  private static Tenant a;
  private static Tenant b;
  /** A profile of a's without a session: not proven. */
  private static WhatsAppProfile waiting;

  private record Tenant(ProvisionedOrganization org, WhatsAppProfile profile, UUID conversation) {
    TenantScope admin() {
      return t.admin(org);
    }

    WhatsAppInbox inbox() {
      return admin().service(WhatsAppInbox.class);
    }

    WhatsAppProfiles profiles() {
      return admin().service(WhatsAppProfiles.class);
    }
  }

  @BeforeAll
  static void setUp() throws IOException {
    fake = new FakeWhatsAppGateway();
    t = TestWhatsApp.start(WhatsAppModule.builder().sessionKeys(TestWhatsApp.KEYS).gateway(fake).verifyToken("v")
        .app("111", "s111").mediaStore(new FileSystemMediaStore(Files.createTempDirectory("media"))).build());
    webhook = t.crm.service(WhatsAppWebhook.class);
    a = tenant();
    b = tenant();
    waiting = a.profiles().create(WhatsAppProfileDraft.builder().name("Waiting").phoneNumber("+966500000002")
        .phoneNumberId(Long.toString(NUMBERS.incrementAndGet())).metaAppId("111").build());
    // Tags to add up to: ten now, so 41 more would pass the 50 a conversation may have.
    a.inbox().tag(a.conversation(), IntStream.range(0, 10).mapToObj(i -> "t" + i).toList());
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  /** A tenant with a proven profile and a conversation whose user wrote just now. */
  private static Tenant tenant() {
    ProvisionedOrganization org = t.provision();
    WhatsAppProfile profile = t.admin(org).service(WhatsAppProfiles.class).create(WhatsAppProfileDraft.builder()
        .name("Sales").phoneNumber("+966500000001").phoneNumberId(Long.toString(NUMBERS.incrementAndGet()))
        .metaAppId("111").session("EAAG-token").build());
    String from = Long.toString(USERS.incrementAndGet());
    byte[] body = ("{'object':'whatsapp_business_account','entry':[{'id':'1','changes':[{'field':'messages','value':{"
        + "'messaging_product':'whatsapp','metadata':{'display_phone_number':'1','phone_number_id':'"
        + profile.phoneNumberId() + "'},'contacts':[{'profile':{'name':'Huda'},'wa_id':'" + from + "'}],"
        + "'messages':[{'from':'" + from + "','id':'wamid." + UUID.randomUUID() + "','timestamp':'"
        + Instant.now().getEpochSecond() + "','type':'text','text':{'body':'hello'}}]}}]}]}").replace('\'', '"')
        .getBytes(StandardCharsets.UTF_8);
    assertThat(webhook.receive(body, WebhookSignature.sign("s111", body)).status()).isEqualTo(200);
    UUID conversation = t.admin(org).service(WhatsAppInbox.class).conversations(ConversationQuery.all(), 10,
        Optional.empty()).items().get(0).id();
    return new Tenant(org, profile, conversation);
  }

  /** Every case, keyed by the method it calls. */
  private static ServiceCases cases() {
    ServiceCases cases = new ServiceCases();
    WhatsAppInbox inbox = a.inbox();
    UUID conversation = a.conversation();
    String farCursor = new Keyset(Instant.parse("+99999-01-01T00:00:00Z"), UUID.randomUUID()).encode();
    Page<Object> empty = new Page<>(List.of(), Optional.empty());

    cases.on(WhatsAppInbox.class, "conversations", ConversationQuery.class, int.class, Optional.class)
        .invalidTexts("tag", 64, true, true, tag -> () -> inbox.conversations(ConversationQuery.builder().tag(tag)
            .build(), 10, Optional.empty()))
        .invalidSizes("limit", 200, limit -> () -> inbox.conversations(ConversationQuery.all(), limit, Optional.empty()))
        .invalid("cursor", "a cursor that is not one", () -> inbox.conversations(ConversationQuery.all(), 10,
            Optional.of("'; drop table crm.conversations; --")))
        .invalid("cursor", "a cursor with NUL", () -> inbox.conversations(ConversationQuery.all(), 10,
            Optional.of("\u0000")))
        .invalid("cursor", "a cursor past what PostgreSQL holds", () -> inbox.conversations(ConversationQuery.all(),
            10, Optional.of(farCursor)))
        .invalid("unassigned", "unassigned and assigned to someone", () -> inbox.conversations(
            ConversationQuery.builder().unassigned().assignedTo(UUID.randomUUID()).build(), 10, Optional.empty()))
        .invisible("filtered by another tenant's profile", b.profile().id(), new Returned(empty),
            id -> inbox.conversations(ConversationQuery.builder().profile(id).build(), 10, Optional.empty()));
    cases.on(WhatsAppInbox.class, "conversation", UUID.class)
        .invisible("a conversation", b.conversation(), new Returned(Optional.empty()), inbox::conversation);
    cases.on(WhatsAppInbox.class, "messages", UUID.class, int.class, Optional.class)
        .invalidSizes("limit", 200, limit -> () -> inbox.messages(conversation, limit, Optional.empty()))
        .invalid("cursor", "a cursor that is not one", () -> inbox.messages(conversation, 10, Optional.of("%")))
        .invisible("a conversation's messages", b.conversation(), new NotFound("conversation"),
            id -> inbox.messages(id, 10, Optional.empty()));
    cases.on(WhatsAppInbox.class, "assign", UUID.class, Optional.class)
        .invisible("a conversation", b.conversation(), new NotFound("conversation"),
            id -> inbox.assign(id, Optional.empty()))
        .invisible("to another tenant's admin", b.org().admin().id(), new Invalid("userId"),
            id -> inbox.assign(conversation, Optional.of(id)));
    cases.on(WhatsAppInbox.class, "tag", UUID.class, Collection.class)
        .invalidTexts("tags", 64, true, true, tag -> () -> inbox.tag(conversation, List.of("ok", tag)))
        .invalid("tags", "51 tags", () -> inbox.tag(conversation, IntStream.range(0, 51).mapToObj(i -> "n" + i)
            .toList()))
        .invalid("tags", "41 more than its 10", () -> inbox.tag(conversation, IntStream.range(0, 41)
            .mapToObj(i -> "m" + i).toList()))
        .invisible("a conversation", b.conversation(), new NotFound("conversation"),
            id -> inbox.tag(id, List.of("vip")));
    cases.on(WhatsAppInbox.class, "setNotes", UUID.class, Optional.class)
        .invalidTexts("notes", 10_000, false, false, notes -> () -> inbox.setNotes(conversation, Optional.of(notes)))
        .invisible("a conversation", b.conversation(), new NotFound("conversation"),
            id -> inbox.setNotes(id, Optional.of("call back")));
    cases.on(WhatsAppInbox.class, "markRead", UUID.class)
        .invisible("a conversation", b.conversation(), new NotFound("conversation"), inbox::markRead);
    cases.on(WhatsAppInbox.class, "sendText", UUID.class, String.class)
        .invalidTexts("text", 4096, false, true, text -> () -> inbox.sendText(conversation, text))
        .invisible("a conversation", b.conversation(), new NotFound("conversation"), id -> inbox.sendText(id, "hi"));
    mediaCases(cases, inbox, conversation);
    cases.on(WhatsAppInbox.class, "sendTemplate", UUID.class, String.class, String.class, List.class)
        .invalid("templateName", "a name with capitals and a space", () -> inbox.sendTemplate(conversation,
            "Order Update", "ar", List.of()))
        .invalid("templateName", "a name with NUL", () -> inbox.sendTemplate(conversation, "order\u0000", "ar",
            List.of()))
        .invalid("templateName", "an empty name", () -> inbox.sendTemplate(conversation, "", "ar", List.of()))
        .invalid("templateName", "a name of 513", () -> inbox.sendTemplate(conversation, "a".repeat(513), "ar",
            List.of()))
        .invalid("languageCode", "a language that is a word", () -> inbox.sendTemplate(conversation, "order_update",
            "arabic", List.of()))
        .invalid("languageCode", "a language with NUL", () -> inbox.sendTemplate(conversation, "order_update",
            "ar\u0000", List.of()))
        .invalid("languageCode", "an empty language", () -> inbox.sendTemplate(conversation, "order_update", "",
            List.of()))
        .invalidTexts("bodyParameters[1]", 1024, true, true, p -> () -> inbox.sendTemplate(conversation,
            "order_update", "ar", List.of("A-1", p)))
        .invalid("bodyParameters", "101 parameters", () -> inbox.sendTemplate(conversation, "order_update", "ar",
            IntStream.range(0, 101).mapToObj(Integer::toString).toList()))
        .invisible("a conversation", b.conversation(), new NotFound("conversation"),
            id -> inbox.sendTemplate(id, "order_update", "ar", List.of()));
    profileCases(cases, a.profiles());
    cases.on(WhatsAppOutbox.class, "drain", int.class, WhatsAppOutbox.Handler.class)
        .invalidSizes("max", 1000, max -> () -> t.crm.service(WhatsAppOutbox.class).drain(max, event -> { }));
    WhatsAppJobs jobs = t.crm.service(WhatsAppJobs.class);
    cases.on(WhatsAppJobs.class, "resumeStalledReplies", Duration.class, int.class)
        .invalidSizes("max", 1000, max -> () -> jobs.resumeStalledReplies(WhatsAppJobs.MIN_STALL, max));
    for (Duration olderThan : List.of(Duration.ZERO, Duration.ofMinutes(-5), Duration.ofMinutes(1).plusSeconds(59),
        Duration.ofDays(3651), Duration.ofSeconds(Long.MAX_VALUE), Duration.ofSeconds(Long.MIN_VALUE))) {
      cases.invalid("olderThan", "olderThan = " + olderThan, () -> jobs.resumeStalledReplies(olderThan, 10));
    }
    cases.on(WhatsAppJobs.class, "fetchPendingMedia", int.class)
        .invalidSizes("max", 1000, max -> () -> jobs.fetchPendingMedia(max));
    return cases;
  }

  private static void mediaCases(ServiceCases cases, WhatsAppInbox inbox, UUID conversation) {
    MediaSource pdf = MediaSource.link("https://files.example.com/a.pdf");
    cases.on(WhatsAppInbox.class, "sendMedia", UUID.class, MediaKind.class, MediaSource.class, Optional.class,
        Optional.class);
    for (String link : List.of("https://files.example.com/a\u0000.pdf", "https://files.example.com/a b.pdf",
        "https://files.example.com/a\n.pdf", "https://files.example.com/\uD800.pdf", "https://", "https://"
        + "a".repeat(2041))) {
      cases.invalid("source", "a link " + ServiceCases.shown(link),
          () -> inbox.sendMedia(conversation, MediaKind.DOCUMENT, MediaSource.link(link), Optional.empty(),
              Optional.empty()));
    }
    for (String id : List.of("12\u00003", "12 3", "\uD800", "1".repeat(257))) {
      cases.invalid("source", "a media id " + ServiceCases.shown(id), () -> inbox.sendMedia(conversation, MediaKind.IMAGE,
          MediaSource.id(id), Optional.empty(), Optional.empty()));
    }
    cases.invalidTexts("caption", 1024, false, true, caption -> () -> inbox.sendMedia(conversation,
            MediaKind.DOCUMENT, pdf, Optional.of(caption), Optional.empty()))
        .invalidTexts("filename", 255, true, true, filename -> () -> inbox.sendMedia(conversation,
            MediaKind.DOCUMENT, pdf, Optional.empty(), Optional.of(filename)))
        .invalid("media", "a caption on audio", () -> inbox.sendMedia(conversation, MediaKind.AUDIO,
            MediaSource.id("1"), Optional.of("listen"), Optional.empty()))
        .invalid("media", "a file name on an image", () -> inbox.sendMedia(conversation, MediaKind.IMAGE,
            MediaSource.id("1"), Optional.empty(), Optional.of("a.png")))
        .invisible("a conversation", b.conversation(), new NotFound("conversation"),
            id -> inbox.sendMedia(id, MediaKind.DOCUMENT, pdf, Optional.empty(), Optional.empty()));
  }

  private static void profileCases(ServiceCases cases, WhatsAppProfiles profiles) {
    UUID profile = a.profile().id();
    WhatsAppProfileDraft.Builder good = WhatsAppProfileDraft.builder().name("Support").phoneNumber("+966500000003")
        .phoneNumberId("123456").metaAppId("111").session("EAAG-token");
    cases.on(WhatsAppProfiles.class, "create", WhatsAppProfileDraft.class)
        .invalidTexts("name", 100, true, true, name -> () -> profiles.create(good.name(name).build()));
    for (String phone : List.of("0501234567", "+966\u0000501234567", "", "+9665012345678901", "\u200F+966501234567")) {
      cases.invalid("phoneNumber", "phone " + ServiceCases.shown(phone),
          () -> profiles.create(WhatsAppProfileDraft.builder().name("S").phoneNumber(phone).phoneNumberId("1")
              .metaAppId("1").build()));
    }
    for (String digits : List.of("12a", "1\u00002", "", "1".repeat(33), "-1", " 1")) {
      cases.invalid("phoneNumberId", "phone number id " + ServiceCases.shown(digits),
          () -> profiles.create(WhatsAppProfileDraft.builder().name("S").phoneNumber("+966500000003")
              .phoneNumberId(digits).metaAppId("1").build()));
      cases.invalid("metaAppId", "Meta app id " + ServiceCases.shown(digits),
          () -> profiles.create(WhatsAppProfileDraft.builder().name("S").phoneNumber("+966500000003")
              .phoneNumberId("1").metaAppId(digits).build()));
    }
    List<String> badTokens = List.of("EAAG token", "EAAG\u0000token", "EAAG\r\nX-Forged: 1", "", "توكن",
        "t".repeat(10_001));
    for (String token : badTokens) {
      cases.invalid("session", "a session " + ServiceCases.shown(token),
          () -> profiles.create(WhatsAppProfileDraft.builder().name("S").phoneNumber("+966500000003")
              .phoneNumberId("1").metaAppId("1").session(token).build()));
    }
    cases.on(WhatsAppProfiles.class, "get", UUID.class)
        .invisible("a profile", b.profile().id(), new Returned(Optional.empty()), profiles::get);
    cases.on(WhatsAppProfiles.class, "list").answers("the profiles", profiles::list);
    cases.on(WhatsAppProfiles.class, "rename", UUID.class, String.class)
        .invalidTexts("name", 100, true, true, name -> () -> profiles.rename(profile, name))
        .invisible("a profile", b.profile().id(), new NotFound("whatsapp profile"), id -> profiles.rename(id, "x"));
    cases.on(WhatsAppProfiles.class, "setStatus", UUID.class, ProfileStatus.class)
        .invalid("status", "connected without a proof", () -> profiles.setStatus(waiting.id(), ProfileStatus.CONNECTED))
        .invisible("a profile", b.profile().id(), new NotFound("whatsapp profile"),
            id -> profiles.setStatus(id, ProfileStatus.DISCONNECTED));
    cases.on(WhatsAppProfiles.class, "replaceSession", UUID.class, String.class);
    for (String token : badTokens) {
      cases.invalid("session", "a session " + ServiceCases.shown(token),
          () -> profiles.replaceSession(profile, token));
    }
    cases.invisible("a profile", b.profile().id(), new NotFound("whatsapp profile"),
        id -> profiles.replaceSession(id, "EAAG-new"));
    cases.on(WhatsAppProfiles.class, "deactivate", UUID.class)
        .invisible("a profile", b.profile().id(), new NotFound("whatsapp profile"), profiles::deactivate);
    cases.on(WhatsAppProfiles.class, "reactivate", UUID.class)
        .invisible("a profile", b.profile().id(), new NotFound("whatsapp profile"), profiles::reactivate);
    cases.on(WhatsAppProfiles.class, "sender", UUID.class)
        .invisible("a profile", b.profile().id(), new NotFound("whatsapp profile"), profiles::sender);
    cases.on(WhatsAppProfiles.class, "reencryptSessions").answers("none stale", profiles::reencryptSessions);
  }

  @Test
  void everyPublicMethodOfTheServicesIsDriven() {
    assertThat(cases().undriven(WhatsAppInbox.class, WhatsAppProfiles.class, WhatsAppOutbox.class,
        WhatsAppJobs.class)).as("service methods no case drives").isEmpty();
  }

  @TestFactory
  Stream<DynamicTest> badInputIsRefusedNamingTheFieldAndChangesNothing() {
    return cases().cases().stream().map(c -> DynamicTest.dynamicTest(c.name(),
        () -> ServiceCases.check(c, t.db.adminDataSource())));
  }

  @TestFactory
  Stream<DynamicTest> anIdOfAnotherTenantIsAnsweredAsAnIdThatDoesNotExist() {
    return cases().invisible().stream().map(c -> DynamicTest.dynamicTest(c.name(),
        () -> ServiceCases.check(c, t.db.adminDataSource())));
  }

  @Test
  void rightToLeftMarksMetacharactersAndEmojiAreStoredAndReadBackUnchanged() {
    WhatsAppInbox inbox = a.inbox();
    UUID conversation = a.conversation();
    String notes = EDGY + "\n\tsecond line";
    assertThat(inbox.setNotes(conversation, Optional.of(notes)).notes()).contains(notes);
    assertThat(inbox.conversation(conversation).orElseThrow().notes()).contains(notes);
    assertThat(inbox.setNotes(conversation, Optional.of(" \n\t ")).notes()).as("blank notes are none").isEmpty();

    String tag = "'; drop table crm.conversations; --";
    assertThat(inbox.tag(conversation, List.of(tag, "\u200Fعميل", "🚚")).tags()).contains(tag, "\u200Fعميل", "🚚");
    assertThat(inbox.conversations(ConversationQuery.builder().tag(tag).build(), 10, Optional.empty()).items())
        .extracting(WhatsAppConversation::id).containsExactly(conversation);
    assertThat(inbox.conversations(ConversationQuery.builder().tag("%").build(), 10, Optional.empty()).items())
        .as("a wildcard is just a character").isEmpty();

    WhatsAppMessage text = inbox.sendText(conversation, notes);
    WhatsAppMessage longest = inbox.sendText(conversation, "ن".repeat(4096));
    assertThat(inbox.messages(conversation, 10, Optional.empty()).items()).extracting(m -> m.body().orElse(""))
        .startsWith("ن".repeat(4096), notes);
    assertThat(List.of(text.status(), longest.status())).containsOnly("sent");
    inbox.sendTemplate(conversation, "order_update", "ar", List.of(EDGY));
    inbox.sendMedia(conversation, MediaKind.DOCUMENT, MediaSource.link("https://files.example.com/فاتورة.pdf?a='1'"),
        Optional.of(notes), Optional.of("فاتورة '; --.pdf"));
    String phone = inbox.conversation(conversation).orElseThrow().contactPhone().orElseThrow();
    assertThat(fake.sent()).extracting(FakeWhatsAppGateway.Sent::message).contains(new OutgoingMessage.Text(phone, notes));
    OutgoingMessage.Template template = (OutgoingMessage.Template) fake.sent().get(fake.sent().size() - 2).message();
    assertThat(template.bodyParameters()).containsExactly(EDGY);
    OutgoingMessage.Media media = (OutgoingMessage.Media) fake.sent().get(fake.sent().size() - 1).message();
    assertThat(media.caption()).contains(notes);
    assertThat(media.filename()).contains("فاتورة '; --.pdf");
    assertThat(media.source().link()).contains("https://files.example.com/فاتورة.pdf?a='1'");

    String name = "\u200Fالمبيعات 'Sales'; -- 🚚";
    assertThat(a.profiles().rename(a.profile().id(), name).name()).isEqualTo(name);
    assertThat(a.profiles().get(a.profile().id()).orElseThrow().name()).isEqualTo(name);
  }
}
