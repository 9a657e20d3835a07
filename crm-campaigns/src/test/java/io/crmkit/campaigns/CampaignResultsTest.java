package io.crmkit.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.campaigns.CampaignContent.TemplateComponent;
import io.crmkit.campaigns.CampaignContent.TemplateParameter;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerQuery;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.whatsapp.SendFailure;
import io.crmkit.whatsapp.SendResult;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a campaign reports: recipients chosen by a CRM filter, its progress (counts, rate, estimated
 * finish), its failures with WhatsApp's reasons, and the recipients who wrote back.
 */
class CampaignResultsTest {
  private static TestCampaigns t;

  @BeforeAll
  static void setUp() {
    t = TestCampaigns.start();
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  @BeforeEach
  void stopEarlierCampaigns() {
    t.stopEarlierCampaigns();
  }

  private static Campaign draft(TestCampaigns.Tenant tenant) {
    return tenant.campaigns().create(CampaignDraft.builder("Offer", tenant.profileId(),
        CampaignContent.template("spring_offer", "ar", List.of(TemplateComponent.body(List.of(
            TemplateParameter.of("{{first_name|عميلنا}}")))))).delay(Duration.ZERO, Duration.ZERO).build());
  }

  @Test
  void aCustomerFilterAddsTheCustomersItFindsNowAndOneThatFindsNoneChangesNothing() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Customer layla = a.customer("Layla", "0501810001");
    Customer omar = a.customer("Omar", "0501810002");
    Customer noPhone = a.customer("Huda", null);
    a.customer("Sami", "0501810004");
    for (Customer gold : List.of(layla, omar, noPhone)) {
      a.admin().customers().tag(gold.id(), List.of("gold"));
    }
    Campaign campaign = draft(a);
    RecipientReport report = a.campaigns().addRecipients(campaign.id(),
        RecipientSelection.matching(CustomerQuery.builder().tagsAny(List.of("gold")).build()));
    assertThat(report.added()).isEqualTo(2);
    assertThat(report.skipped()).isEqualTo(Map.of(SkipReason.NO_WHATSAPP_PHONE, 1));
    assertThat(a.campaigns().recipients(campaign.id(), 10, Optional.empty()).items())
        .extracting(r -> r.customerId().orElseThrow()).containsExactlyInAnyOrder(layla.id(), omar.id(), noPhone.id());

    assertThatThrownBy(() -> a.campaigns().addRecipients(campaign.id(),
        RecipientSelection.matching(CustomerQuery.builder().tagsAny(List.of("platinum")).build())))
        .isInstanceOf(ValidationException.class).hasMessageContaining("finds no customer");
    assertThat(a.campaigns().get(campaign.id()).orElseThrow().totalRecipients()).isEqualTo(3);
    TestCampaigns.Tenant b = t.tenant();
    b.admin().customers().tag(b.customer("Nora", "0501810009").id(), List.of("gold"));
    Campaign theirs = draft(b);
    b.campaigns().addRecipients(theirs.id(),
        RecipientSelection.matching(CustomerQuery.builder().tagsAny(List.of("gold")).build()));
    assertThat(b.campaigns().recipients(theirs.id(), 10, Optional.empty()).items())
        .as("another tenant's filter finds its own customers only")
        .extracting(r -> r.phone().orElseThrow()).containsExactly("+966501810009");
  }

  @Test
  void progressGivesTheCountsTheRateAndTheFinishFailuresTheirReasonsAndRepliesAreCountedOnce()
      throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = draft(a);
    a.campaigns().addRecipients(campaign.id(), RecipientSelection.phones(List.of("0501820001", "0501820002",
        "0501820003", "0501820004")));
    a.campaigns().start(campaign.id());
    t.gateway.thenAnswer(new SendResult.Failed(new SendFailure(SendFailure.Kind.UNDELIVERABLE, 131026,
        "Message undeliverable")));
    assertThat(t.crm.service(CampaignRunner.class).runOnce(2)).isEqualTo(2);
    CampaignProgress half = a.campaigns().progress(campaign.id());
    assertThat(half).extracting(CampaignProgress::status, CampaignProgress::total, CampaignProgress::sent,
        CampaignProgress::failed, CampaignProgress::remaining).containsExactly(CampaignStatus.RUNNING, 4, 1, 1, 2);
    assertThat(half.done()).isEqualTo(0.5);
    assertThat(half.perSecond()).as("2 attempts in the one second since the start").isEqualTo(2.0);
    assertThat(half.estimatedFinish()).contains(t.clock.instant().plusSeconds(1));

    while (t.crm.service(CampaignRunner.class).runOnce(50) > 0) {
      // the rest
    }
    CampaignProgress done = a.campaigns().progress(campaign.id());
    assertThat(done).extracting(CampaignProgress::status, CampaignProgress::sent, CampaignProgress::remaining)
        .containsExactly(CampaignStatus.COMPLETED, 3, 0);
    assertThat(done.estimatedFinish()).isEmpty();
    assertThat(a.campaigns().recipients(campaign.id(), RecipientStatus.FAILED, 10, Optional.empty()).items())
        .extracting(r -> r.phone().orElseThrow() + " " + r.errorCode().orElseThrow() + " " + r.error().orElseThrow())
        .containsExactly("+966501820001 131026 UNDELIVERABLE: Message undeliverable");

    Instant later = t.clock.instant().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
    t.writes(a, "966501820002", "شكرا", later);
    t.writes(a, "966501820002", "how much?", later.plusSeconds(60));
    t.writes(a, "966501820001", "what was that?", later);
    t.writes(a, "966501820003", "too late", t.clock.instant().plus(Duration.ofDays(4)));
    assertThat(a.campaigns().progress(campaign.id()).replied()).as("once; not the failed one; not after 3 days")
        .isEqualTo(1);
    assertThat(a.campaigns().recipients(campaign.id(), RecipientStatus.SENT, 10, Optional.empty()).items())
        .extracting(r -> r.phone().orElseThrow() + " " + r.repliedAt().map(Instant::toString).orElse("-"))
        .containsExactly("+966501820002 " + later, "+966501820003 -", "+966501820004 -");
  }

  private static void drain() {
    TestCampaigns.drain(t.crm);
  }

  private static List<String> statuses(Campaign campaign) {
    return t.rows("select phone || ' ' || status || ' ' || resends from crm.campaign_recipients"
        + " where campaign_id = ? order by position", campaign.id());
  }

  @Test
  void aCampaignThatAllowsItSendsAnUnknownOnceMoreAfterItsQuietPeriodAndNoMore() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = a.campaigns().create(CampaignDraft.builder("Offer", a.profileId(),
        CampaignContent.template("spring_offer", "ar", List.of())).delay(Duration.ZERO, Duration.ZERO)
        .resendUnknownAfter(Duration.ofMinutes(15)).build());
    a.campaigns().addRecipients(campaign.id(), RecipientSelection.phones(List.of("0501830001", "0501830002")));
    a.campaigns().start(campaign.id());
    t.gateway.thenAnswer(new SendResult.Unknown("read timed out"));
    drain();
    assertThat(statuses(campaign)).containsExactly("+966501830001 unknown 0", "+966501830002 sent 0");
    assertThat(a.campaigns().get(campaign.id()).orElseThrow().status()).as("its unknown may go again")
        .isEqualTo(CampaignStatus.RUNNING);
    t.clock.advance(Duration.ofMinutes(14));
    drain();
    assertThat(statuses(campaign)).as("still quiet for less than 15 minutes").startsWith("+966501830001 unknown 0");

    t.clock.advance(Duration.ofMinutes(1));
    t.gateway.thenAnswer(new SendResult.Unknown("read timed out again"));
    drain();
    assertThat(statuses(campaign)).as("sent once more, unknown again").startsWith("+966501830001 unknown 1");
    t.clock.advance(Duration.ofHours(1));
    drain();
    Campaign done = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(done.status()).as("no third try by itself").isEqualTo(CampaignStatus.COMPLETED);
    assertThat(done.unknownCount()).isEqualTo(1);
    assertThat(done.sentCount()).isEqualTo(1);
    assertThat(t.gateway.sent().stream().filter(sent -> sent.message().to().equals("+966501830001"))).hasSize(2);
  }

  @Test
  void anOperatorSendsTheUnknownsNoStatusSettledAgainAndACompletedCampaignRunsOnce() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = draft(a);
    assertThatThrownBy(() -> a.campaigns().resendUnknown(campaign.id()))
        .isInstanceOf(io.crmkit.core.exception.ConflictException.class);
    a.campaigns().addRecipients(campaign.id(), RecipientSelection.phones(List.of("0501840001", "0501840002",
        "0501840003")));
    a.campaigns().start(campaign.id());
    t.gateway.thenAnswer(new SendResult.Unknown("read timed out"));
    t.gateway.thenAnswer(new SendResult.Unknown("read timed out"));
    drain();
    assertThat(a.campaigns().get(campaign.id()).orElseThrow().status()).isEqualTo(CampaignStatus.COMPLETED);
    String settled = t.rows("select attempt_id from crm.campaign_recipients where campaign_id = ? and position = 2",
        campaign.id()).get(0);
    t.status(a, "wamid.settled", "delivered", "crmkit.campaign:" + settled);
    t.events.clear();

    Campaign again = a.campaigns().resendUnknown(campaign.id());
    assertThat(again.status()).isEqualTo(CampaignStatus.RUNNING);
    assertThat(again.unknownCount()).isZero();
    assertThat(t.events).containsExactly(new CampaignEvent.Started(a.id(), campaign.id()));
    drain();
    assertThat(statuses(campaign)).as("only the one no status settled")
        .containsExactly("+966501840001 sent 1", "+966501840002 sent 0", "+966501840003 sent 0");
    Campaign done = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(CampaignStatus.COMPLETED);
    assertThat(done.sentCount()).isEqualTo(3);
    assertThat(a.campaigns().resendUnknown(campaign.id()).status()).as("nothing unknown: nothing changes")
        .isEqualTo(CampaignStatus.COMPLETED);
  }

  @Test
  void fourFailuresInFiveOverTheLastFiftyAttemptsPauseTheCampaignThoughNeverTwentyInARow() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = draft(a);
    a.campaigns().addRecipients(campaign.id(), RecipientSelection.phones(java.util.stream.IntStream
        .rangeClosed(1, 60).mapToObj(i -> String.format("05018500%02d", i)).toList()));
    a.campaigns().start(campaign.id());
    for (int i = 0; i < 50; i++) {
      t.gateway.thenAnswer(i % 5 == 0 ? new SendResult.Accepted("wamid.ok-" + i)
          : new SendResult.Failed(new SendFailure(SendFailure.Kind.UNDELIVERABLE, 131026, "Message undeliverable")));
    }
    drain();
    Campaign paused = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(paused.status()).isEqualTo(CampaignStatus.PAUSED);
    assertThat(paused.statusReason()).contains("40 of the last 50 sends failed; the last: UNDELIVERABLE: Message"
        + " undeliverable");
    assertThat(paused.sentCount() + paused.failedCount()).isEqualTo(50);
  }

  @Test
  void refusalsForGoodAreFailuresWithWhatsAppsCodeAndReasonAndAreNotTriedAgain() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = draft(a);
    a.campaigns().addRecipients(campaign.id(), RecipientSelection.phones(List.of("0501860001", "0501860002",
        "0501860003", "0501860004")));
    a.campaigns().start(campaign.id());
    // As crm-whatsapp's Cloud API gateway reads them: 131047 outside the 24 hours, 131026 undeliverable,
    // 131053 a media upload error and 130472 a number in Meta's experiment, the last two plain refusals.
    t.gateway.thenAnswer(new SendResult.Failed(new SendFailure(SendFailure.Kind.OUTSIDE_CUSTOMER_WINDOW, 131047,
        "Re-engagement message")));
    t.gateway.thenAnswer(new SendResult.Failed(new SendFailure(SendFailure.Kind.UNDELIVERABLE, 131026,
        "Message undeliverable")));
    t.gateway.thenAnswer(new SendResult.Failed(new SendFailure(SendFailure.Kind.REJECTED, 131053,
        "Media upload error")));
    t.gateway.thenAnswer(new SendResult.Failed(new SendFailure(SendFailure.Kind.REJECTED, 130472,
        "User's number is part of an experiment")));
    drain();
    t.clock.advance(Duration.ofDays(2));
    drain();
    assertThat(t.rows("select r.phone || ' ' || r.status || ' ' || x.error_code || ' ' || x.error_message"
        + " from crm.campaign_recipients r join crm.campaign_results x on x.recipient_id = r.id"
        + " where r.campaign_id = ? order by r.position", campaign.id())).as("one attempt each, never again")
        .containsExactly("+966501860001 failed 131047 OUTSIDE_CUSTOMER_WINDOW: Re-engagement message",
            "+966501860002 failed 131026 UNDELIVERABLE: Message undeliverable",
            "+966501860003 failed 131053 REJECTED: Media upload error",
            "+966501860004 failed 130472 REJECTED: User's number is part of an experiment");
    Campaign done = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(CampaignStatus.COMPLETED);
    assertThat(done.failedCount()).isEqualTo(4);
  }

  @Test
  void aStatusOfTheFirstTryThatComesBeforeTheResendCallsItOff() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = a.campaigns().create(CampaignDraft.builder("Offer", a.profileId(),
        CampaignContent.template("spring_offer", "ar", List.of())).delay(Duration.ZERO, Duration.ZERO)
        .resendUnknownAfter(Duration.ofMinutes(15)).build());
    a.campaigns().addRecipients(campaign.id(), RecipientSelection.phones(List.of("0501870001")));
    a.campaigns().start(campaign.id());
    t.gateway.thenAnswer(new SendResult.Unknown("read timed out"));
    drain();
    String firstTry = t.rows("select attempt_id from crm.campaign_recipients where campaign_id = ?",
        campaign.id()).get(0);
    // The quiet period passes and the recipient is pending again; no runner has sent it yet.
    t.clock.advance(Duration.ofMinutes(16));
    t.db.executeAsAdmin("select crm.sweep_campaign_recipients('" + t.clock.instant() + "')");
    assertThat(statuses(campaign)).containsExactly("+966501870001 pending 1");
    t.status(a, "wamid.first", "delivered", "crmkit.campaign:" + firstTry);
    drain();
    assertThat(statuses(campaign)).as("WhatsApp had the first try: no second").containsExactly(
        "+966501870001 sent 1");
    Campaign done = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(CampaignStatus.COMPLETED);
    assertThat(done.sentCount()).isEqualTo(1);
    assertThat(done.deliveredCount()).isEqualTo(1);
    assertThat(t.gateway.sent().stream().filter(sent -> sent.message().to().equals("+966501870001"))).hasSize(1);
  }
}
