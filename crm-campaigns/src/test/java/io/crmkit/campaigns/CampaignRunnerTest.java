package io.crmkit.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.campaigns.CampaignContent.TemplateComponent;
import io.crmkit.campaigns.CampaignContent.TemplateParameter;
import io.crmkit.core.Crm;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.exception.FeatureNotInPlanException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.testdb.Jdbc;
import io.crmkit.whatsapp.OutgoingMessage;
import io.crmkit.whatsapp.SendFailure;
import io.crmkit.whatsapp.SendResult;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runner: each recipient of a running campaign sent to once, recorded around the gateway's
 * call, shared by runners of several Crm instances, and an answer that does not say whether
 * WhatsApp took the message left unknown, never sent again by itself.
 */
class CampaignRunnerTest {
  private static TestCampaigns t;

  @BeforeAll
  static void setUp() {
    t = TestCampaigns.start();
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private static CampaignRunner runner() {
    return t.crm.service(CampaignRunner.class);
  }

  /** Runs until a call handles nothing. */
  private static int drain() {
    return TestCampaigns.drain(t.crm);
  }

  private static Campaign running(TestCampaigns.Tenant tenant, List<String> phones) {
    Campaign campaign = tenant.campaigns().create(CampaignDraft.builder("Offer", tenant.profileId(),
        CampaignContent.template("spring_offer", "ar", List.of(TemplateComponent.body(List.of(
            TemplateParameter.of("{{first_name|عميلنا}}"), TemplateParameter.of("20%"))))))
        .delay(Duration.ZERO, Duration.ZERO).build());
    tenant.campaigns().addRecipients(campaign.id(), RecipientSelection.phones(phones));
    return tenant.campaigns().start(campaign.id());
  }

  private static List<String> rows(String sql, Object... parameters) {
    return t.rows(sql, parameters);
  }

  private static List<FakeWhatsAppGateway.Sent> sentFor(FakeWhatsAppGateway gateway, TestCampaigns.Tenant tenant) {
    String number = rows0("select phone_number_id from crm.whatsapp_profiles where id = ?", tenant.profileId());
    return gateway.sent().stream().filter(s -> s.phoneNumberId().equals(number)).toList();
  }

  private static String rows0(String sql, Object... parameters) {
    return rows(sql, parameters).get(0);
  }

  @Test
  void eachRecipientIsSentItsOwnMessageOnceAndTheCampaignCompletes() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    a.customer("Sara Al-Harbi", "0501210001");
    Campaign campaign = running(a, List.of("0501210001", "0501210002", "0501210003"));

    assertThat(drain()).isEqualTo(3);
    List<FakeWhatsAppGateway.Sent> sent = sentFor(t.gateway, a);
    assertThat(sent).extracting(s -> s.message().to() + " " + ((OutgoingMessage.Template) s.message()).bodyParameters())
        .containsExactly("+966501210001 [Sara, 20%]", "+966501210002 [عميلنا, 20%]", "+966501210003 [عميلنا, 20%]");
    assertThat(sent).allSatisfy(s -> assertThat(s.tag()).hasValueSatisfying(tag -> assertThat(tag)
        .startsWith("crmkit.campaign:")));
    Campaign done = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(CampaignStatus.COMPLETED);
    assertThat(done.sentCount()).isEqualTo(3);
    assertThat(done.currentIndex()).isEqualTo(3);
    assertThat(done.completedAt()).isPresent();
    assertThat(a.campaigns().recipients(campaign.id(), 10, Optional.empty()).items())
        .extracting(CampaignRecipient::status).containsOnly(RecipientStatus.SENT);
    assertThat(rows("select status || ' ' || (wa_message_id is not null) from crm.campaign_results"
        + " where campaign_id = ?", campaign.id())).containsExactly("sent true", "sent true", "sent true");
    assertThat(rows("select count(distinct attempt_id) from crm.campaign_recipients where campaign_id = ?",
        campaign.id())).containsExactly("3");

    assertThat(runner().runOnce(50)).as("nothing more").isZero();
    assertThat(sentFor(t.gateway, a)).hasSize(3);
  }

  @Test
  void twoRunnersOfTwoCrmsShareOneCampaignAndSendToNoOneTwice() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    List<String> phones = IntStream.range(0, 300).mapToObj(i -> String.format("05013%05d", i)).toList();
    Campaign campaign = running(a, phones);
    FakeWhatsAppGateway otherGateway = new FakeWhatsAppGateway();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try (Crm other = t.crm(otherGateway)) {
      List<Future<Integer>> runs = new ArrayList<>();
      for (CampaignRunner runner : List.of(runner(), runner(), other.service(CampaignRunner.class),
          other.service(CampaignRunner.class))) {
        runs.add(threads.submit(() -> {
          int total = 0;
          for (int handled = runner.runOnce(7); handled > 0; handled = runner.runOnce(7)) {
            total += handled;
          }
          return total;
        }));
      }
      for (Future<Integer> run : runs) {
        run.get();
      }
      drain();
    } finally {
      threads.shutdownNow();
    }
    List<String> to = new ArrayList<>();
    sentFor(t.gateway, a).forEach(s -> to.add(s.message().to()));
    int mine = to.size();
    sentFor(otherGateway, a).forEach(s -> to.add(s.message().to()));
    assertThat(to).as("every recipient once, across both Crms").hasSize(300).doesNotHaveDuplicates();
    assertThat(mine).as("both Crms sent").isBetween(1, 299);
    Campaign done = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(CampaignStatus.COMPLETED);
    assertThat(done.sentCount()).isEqualTo(300);
  }

  @Test
  void aPausedCampaignSendsNothingUntilResumedAndAStoppedOneNothingMore() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = running(a, List.of("0501220001", "0501220002"));
    a.campaigns().pause(campaign.id());
    assertThat(drain()).isZero();
    a.campaigns().resume(campaign.id());
    assertThat(runner().runOnce(1)).isEqualTo(1);
    a.campaigns().stop(campaign.id());
    assertThat(drain()).isZero();
    assertThat(sentFor(t.gateway, a)).hasSize(1);
    Campaign stopped = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(stopped.status()).isEqualTo(CampaignStatus.STOPPED);
    assertThat(stopped.sentCount()).isEqualTo(1);
  }

  @Test
  void aCampaignWithAPauseBetweenSendsGivesOneRecipientPerTurn() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = a.campaigns().create(CampaignDraft.builder("Paced", a.profileId(),
        CampaignContent.freeForm("Hello {{first_name|there}}")).delay(Duration.ofMinutes(1), Duration.ofMinutes(2))
        .build());
    a.campaigns().addRecipients(campaign.id(), RecipientSelection.phones(List.of("0501230001", "0501230002")));
    t.writes(a, "966501230001", "hi");
    t.writes(a, "966501230002", "hi");
    a.campaigns().start(campaign.id());
    assertThat(runner().runOnce(50)).isEqualTo(1);
    assertThat(runner().runOnce(50)).as("not due for a minute or two").isZero();
    assertThat(rows("select next_send_at - " + t.at(Duration.ZERO) + " between interval '55 seconds'"
        + " and interval '2 minutes' from crm.campaigns where id = ?", campaign.id())).containsExactly("t");
    t.clock.advance(Duration.ofMinutes(2));
    assertThat(runner().runOnce(50)).isEqualTo(1);
    assertThat(sentFor(t.gateway, a)).extracting(s -> ((OutgoingMessage.Text) s.message()).body())
        .containsExactly("Hello there", "Hello there");
  }

  @Test
  void freeFormTextGoesOnlyToUsersWhoWroteWithinADayTheOthersAreSkipped() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = a.campaigns().create(CampaignDraft.builder("Reminder", a.profileId(),
        CampaignContent.freeForm("Your order is ready")).delay(Duration.ZERO, Duration.ZERO).build());
    a.campaigns().addRecipients(campaign.id(), RecipientSelection.phones(List.of("0501280001", "0501280002",
        "0501280003")));
    t.writes(a, "966501280001", "hello");
    t.writes(a, "966501280003", "hello");
    t.db.executeAsAdmin("update crm.conversations set last_inbound_at = " + t.at(Duration.ofHours(-25))
        + " where organization_id = '" + a.id() + "' and contact_id in (select id from crm.whatsapp_contacts"
        + " where wa_phone = '+966501280003')");
    a.campaigns().start(campaign.id());
    drain();
    assertThat(sentFor(t.gateway, a)).extracting(s -> s.message().to()).containsExactly("+966501280001");
    assertThat(rows("select phone || ' ' || status || ' ' || coalesce(skip_reason, '-') from crm.campaign_recipients"
        + " where campaign_id = ? order by position", campaign.id())).containsExactly("+966501280001 sent -",
            "+966501280002 skipped window_closed", "+966501280003 skipped window_closed");
    Campaign done = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(done.skippedCount()).isEqualTo(2);
    assertThat(done.status()).isEqualTo(CampaignStatus.COMPLETED);
  }

  @Test
  void anAnswerThatDoesNotSayWhetherWhatsAppTookItIsUnknownAndNeverSentAgain() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = running(a, List.of("0501240001", "0501240002"));
    t.gateway.thenAnswer(new SendResult.Unknown("read timed out after the request was sent"));
    assertThat(drain()).isEqualTo(2);
    Campaign done = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(done.unknownCount()).isEqualTo(1);
    assertThat(done.sentCount()).isEqualTo(1);
    assertThat(done.status()).isEqualTo(CampaignStatus.COMPLETED);
    assertThat(rows("select status || ' ' || coalesce(error_message, '-') from crm.campaign_recipients"
        + " where campaign_id = ? order by position", campaign.id()))
        .containsExactly("unknown read timed out after the request was sent", "sent -");
    assertThat(drain()).isZero();
    assertThat(sentFor(t.gateway, a)).hasSize(2);
  }

  @Test
  void aRunnerThatDiesBetweenTheCallAndTheRecordLeavesUnknownOnceItsLeaseEnds() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = running(a, List.of("0501250001"));
    FakeWhatsAppGateway fake = new FakeWhatsAppGateway();
    // WhatsApp takes the message, and the runner's process dies before it records that.
    try (Crm doomed = t.crm(new ScriptedGateway(fake, tag -> {
      throw new ScriptedGateway.Dies();
    }))) {
      assertThatThrownBy(() -> doomed.service(CampaignRunner.class).runOnce(5))
          .isInstanceOf(ScriptedGateway.Dies.class);
    }
    assertThat(fake.sent()).hasSize(1);
    assertThat(rows("select status from crm.campaign_recipients where campaign_id = ?", campaign.id()))
        .containsExactly("sending");
    assertThat(drain()).as("its lease holds: nobody sends it").isZero();

    t.clock.advance(TestCampaigns.LEASE.plusSeconds(1));
    assertThat(drain()).isZero();
    assertThat(rows("select status from crm.campaign_recipients where campaign_id = ?", campaign.id()))
        .containsExactly("unknown");
    Campaign done = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(done.unknownCount()).isEqualTo(1);
    assertThat(done.currentIndex()).isEqualTo(1);
    assertThat(done.status()).isEqualTo(CampaignStatus.COMPLETED);
    assertThat(sentFor(t.gateway, a)).as("never sent again").isEmpty();
  }

  @Test
  void aRateLimitedRecipientWaitsItsBackoffAndARefusedOneFailsForGood() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = running(a, List.of("0501260001", "0501260002"));
    t.gateway.thenAnswer(new SendResult.Failed(new SendFailure(SendFailure.Kind.PAIR_RATE_LIMITED, 131056,
        "(#131056) Pair rate limit hit")));
    t.gateway.thenAnswer(new SendResult.Failed(new SendFailure(SendFailure.Kind.UNDELIVERABLE, 131026,
        "Message undeliverable")));
    assertThat(drain()).as("the refused one").isEqualTo(1);
    assertThat(rows("select status || ' ' || coalesce(error_code::text, '-') || ' '"
        + " || coalesce((next_attempt_at > " + t.at(Duration.ofSeconds(3)) + ")::text, 'none')"
        + " from crm.campaign_recipients"
        + " where campaign_id = ? order by position", campaign.id()))
        .containsExactly("pending 131056 true", "failed 131026 none");
    t.clock.advance(Duration.ofHours(1));
    assertThat(drain()).isEqualTo(1);
    Campaign done = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(done.sentCount()).isEqualTo(1);
    assertThat(done.failedCount()).isEqualTo(1);
    assertThat(done.status()).isEqualTo(CampaignStatus.COMPLETED);
    assertThat(rows("select status || ' ' || coalesce(error_code::text, '-') from crm.campaign_results"
        + " where campaign_id = ? order by sent_at", campaign.id()))
        .containsExactlyInAnyOrder("failed 131056", "failed 131026", "sent -");
  }

  @Test
  void aScheduledCampaignStartsByItselfWhenItsTimeComesOrPausesSayingWhyItCannot() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Customer layla = a.customer("Layla Hassan", "0501270001");
    a.admin().customers().tag(layla.id(), List.of("vip"));
    Campaign later = a.campaigns().create(CampaignDraft.builder("Later", a.profileId(),
        CampaignContent.freeForm("Hello {{first_name}}")).delay(Duration.ZERO, Duration.ZERO).build());
    a.campaigns().addRecipients(later.id(), RecipientSelection.tag("vip"));
    Campaign broken = a.campaigns().create(CampaignDraft.builder("Broken", a.profileId(),
        CampaignContent.freeForm("Hello {{first_name}}")).delay(Duration.ZERO, Duration.ZERO).build());
    a.campaigns().addRecipients(broken.id(), RecipientSelection.tag("vip"));
    t.writes(a, "966501270001", "hi");
    Instant at = Instant.now().plus(Duration.ofHours(1));
    t.clock.set(Instant.now());
    a.campaigns().schedule(later.id(), at);
    a.campaigns().schedule(broken.id(), at);
    Customer nameless = a.customer(null, "0501270002");
    a.admin().customers().tag(nameless.id(), List.of("vip"));

    assertThat(drain()).as("an hour early").isZero();
    assertThat(a.campaigns().get(later.id()).orElseThrow().status()).isEqualTo(CampaignStatus.SCHEDULED);
    a.admin().customers().untag(nameless.id(), List.of("vip"));
    t.db.executeAsAdmin("update crm.campaigns set scheduled_at = " + t.at(Duration.ofSeconds(-1)) + " where id = '"
        + later.id() + "'");
    assertThat(drain()).isEqualTo(1);
    assertThat(a.campaigns().get(later.id()).orElseThrow().status()).isEqualTo(CampaignStatus.COMPLETED);
    assertThat(sentFor(t.gateway, a)).extracting(s -> ((OutgoingMessage.Text) s.message()).body())
        .containsExactly("Hello Layla");

    a.admin().customers().tag(nameless.id(), List.of("vip"));
    t.db.executeAsAdmin("update crm.campaigns set scheduled_at = " + t.at(Duration.ofSeconds(-1)) + " where id = '"
        + broken.id() + "'");
    assertThat(drain()).isZero();
    Campaign paused = a.campaigns().get(broken.id()).orElseThrow();
    assertThat(paused.status()).isEqualTo(CampaignStatus.PAUSED);
    assertThat(paused.statusReason()).hasValueSatisfying(reason -> assertThat(reason)
        .startsWith("did not start: content.text: {{first_name}} has no value for recipient 2 (+966501270002)"));
    assertThat(sentFor(t.gateway, a)).hasSize(1);
  }

  @Test
  void theClaimRunsOnlyOutsideATenantAndABadBatchIsRefused() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    assertThatThrownBy(() -> runner().runOnce(0)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> runner().runOnce(1001)).isInstanceOf(ValidationException.class);
    try (Connection c = t.db.runtimeDataSource().getConnection()) {
      c.setAutoCommit(false);
      Jdbc.rows(c, "select set_config('app.current_organization_id', ?, true)", a.id().toString());
      assertThatThrownBy(() -> Jdbc.rows(c, "select * from crm.claim_campaign_recipients(gen_random_uuid(), 60, 10, now())"))
          .isInstanceOf(SQLException.class).hasMessageContaining("outside any tenant");
      c.rollback();
      Jdbc.rows(c, "select set_config('app.current_organization_id', ?, true)", a.id().toString());
      assertThatThrownBy(() -> Jdbc.rows(c, "select * from crm.sweep_campaign_recipients(now())"))
          .isInstanceOf(SQLException.class).hasMessageContaining("outside any tenant");
      c.rollback();
      Jdbc.rows(c, "select set_config('app.current_organization_id', ?, true)", a.id().toString());
      assertThatThrownBy(() -> Jdbc.rows(c, "select * from crm.due_scheduled_campaigns(10, now())"))
          .isInstanceOf(SQLException.class).hasMessageContaining("outside any tenant");
      c.rollback();
    }
  }

  @Test
  void aPlanThatLosesBulkSenderPausesRunningAndScheduledCampaignsBeforeAnySend() {
    TestCampaigns.Tenant a = t.tenant();
    t.writes(a, "966501280001", "hi");
    List<Campaign> campaigns = new ArrayList<>();
    for (String name : List.of("Now", "Later")) {
      Campaign campaign = a.campaigns().create(CampaignDraft.builder(name, a.profileId(),
          CampaignContent.freeForm("Hello")).delay(Duration.ZERO, Duration.ZERO).build());
      a.campaigns().addRecipients(campaign.id(), RecipientSelection.phones(List.of("0501280001")));
      campaigns.add(campaign);
    }
    t.clock.set(Instant.now());
    UUID now = a.campaigns().start(campaigns.get(0).id()).id();
    UUID later = a.campaigns().schedule(campaigns.get(1).id(), Instant.now().plus(Duration.ofHours(1))).id();
    t.crm.platform().changePlan(a.id(), "lite");
    t.db.executeAsAdmin("update crm.campaigns set scheduled_at = " + t.at(Duration.ofSeconds(-1)) + " where id = '"
        + later + "'");

    drain();
    assertThat(List.of(now, later)).allSatisfy(id -> {
      Campaign paused = a.campaigns().get(id).orElseThrow();
      assertThat(paused.status()).isEqualTo(CampaignStatus.PAUSED);
      assertThat(paused.statusReason()).hasValueSatisfying(why -> assertThat(why).contains("bulk_sender"));
    });
    assertThat(sentFor(t.gateway, a)).as("nothing sent on a plan without bulk_sender").isEmpty();
    assertThatThrownBy(() -> a.campaigns().resume(now)).isInstanceOf(FeatureNotInPlanException.class);
    assertThatThrownBy(() -> a.campaigns().resendUnknown(now)).isInstanceOf(FeatureNotInPlanException.class);

    t.crm.platform().changePlan(a.id(), "professional");
    a.campaigns().resume(now);
    drain();
    assertThat(a.campaigns().get(now).orElseThrow().status()).isEqualTo(CampaignStatus.COMPLETED);
    assertThat(sentFor(t.gateway, a)).hasSize(1);
  }
}
