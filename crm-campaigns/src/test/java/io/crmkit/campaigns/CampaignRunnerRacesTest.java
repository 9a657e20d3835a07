package io.crmkit.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.campaigns.CampaignContent.TemplateComponent;
import io.crmkit.campaigns.CampaignContent.TemplateParameter;
import io.crmkit.core.Crm;
import io.crmkit.whatsapp.SendFailure;
import io.crmkit.whatsapp.SendResult;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What happens around a send in flight (a pause, a status that outruns the answer, an answer that
 * outlives the lease, a server error), refusals that act beyond their recipient (a template
 * WhatsApp will not send, the user's marketing limit, failures in a row), and a paced campaign beside
 * an unpaced one. Most run a second Crm on the same database whose gateway acts during the call.
 */
class CampaignRunnerRacesTest {
  private static TestCampaigns t;

  @BeforeAll
  static void setUp() {
    t = TestCampaigns.start();
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private static List<String> rows(String sql, Object... parameters) {
    return t.rows(sql, parameters);
  }

  private static Campaign running(TestCampaigns.Tenant tenant, List<String> phones) {
    Campaign campaign = tenant.campaigns().create(CampaignDraft.builder("Offer", tenant.profileId(),
        CampaignContent.template("spring_offer", "ar", List.of(TemplateComponent.body(List.of(
            TemplateParameter.of("20%")))))).delay(Duration.ZERO, Duration.ZERO).build());
    tenant.campaigns().addRecipients(campaign.id(), RecipientSelection.phones(phones));
    return tenant.campaigns().start(campaign.id());
  }

  /**
   * Runs {@code work} with a Crm on the tests' database whose gateway sends through {@code fake}
   * after {@code during} has acted (given the send's tag); {@code during}'s answer, if not null,
   * replaces the fake's.
   */
  private static void withGateway(FakeWhatsAppGateway fake, Function<String, SendResult> during,
      java.util.function.Consumer<Crm> work) {
    try (Crm crm = t.crm(new ScriptedGateway(fake, during))) {
      work.accept(crm);
    }
  }

  @Test
  void aPauseDuringABatchGivesBackWhatTheBatchHasNotSentAndResumeSendsIt() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = running(a, List.of("0501410001", "0501410002", "0501410003"));
    FakeWhatsAppGateway fake = new FakeWhatsAppGateway();
    withGateway(fake, tag -> {
      if (fake.sent().size() == 1) {
        a.campaigns().pause(campaign.id());
      }
      return null;
    }, crm -> assertThat(crm.service(CampaignRunner.class).runOnce(10)).isEqualTo(1));
    assertThat(fake.sent()).hasSize(1);
    assertThat(rows("select status || ' ' || (lease_token is null) from crm.campaign_recipients"
        + " where campaign_id = ? order by position", campaign.id()))
        .containsExactly("sent true", "pending true", "pending true");
    a.campaigns().resume(campaign.id());
    TestCampaigns.drain(t.crm);
    Campaign done = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(done.sentCount()).isEqualTo(3);
    assertThat(done.status()).isEqualTo(CampaignStatus.COMPLETED);
  }

  @Test
  void aStatusThatComesWhileTheSendIsInFlightIsKeptAndSettlesItWhenTheRunnerDies() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = running(a, List.of("0501420001"));
    FakeWhatsAppGateway fake = new FakeWhatsAppGateway();
    withGateway(fake, tag -> {
      t.status(a, "wamid.fast", "delivered", tag);
      throw new ScriptedGateway.Dies();
    }, crm -> assertThatThrownBy(() -> crm.service(CampaignRunner.class).runOnce(10)).isInstanceOf(ScriptedGateway.Dies.class));
    assertThat(rows("select status || ' ' || wa_message_id from crm.campaign_recipients where campaign_id = ?",
        campaign.id())).containsExactly("sending wamid.fast");
    t.clock.advance(TestCampaigns.LEASE.plusSeconds(1));
    TestCampaigns.drain(t.crm);
    Campaign done = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(done.sentCount()).as("WhatsApp's status said it was taken").isEqualTo(1);
    assertThat(done.unknownCount()).isZero();
    assertThat(done.deliveredCount()).isEqualTo(1);
    assertThat(done.status()).isEqualTo(CampaignStatus.COMPLETED);
  }

  @Test
  void aRefusalThatArrivesAfterTheLeaseRanOutIsAFailureNotAPendingRecipientOfACompletedCampaign()
      throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = running(a, List.of("0501430001"));
    FakeWhatsAppGateway fake = new FakeWhatsAppGateway();
    withGateway(fake, tag -> {
      // The call outlives its lease: another runner's sweep calls it unknown, and the campaign completes.
      t.clock.advance(TestCampaigns.LEASE.plusSeconds(1));
      TestCampaigns.drain(t.crm);
      return new SendResult.Failed(new SendFailure(SendFailure.Kind.PAIR_RATE_LIMITED, 131056, "Pair rate limit"));
    }, crm -> crm.service(CampaignRunner.class).runOnce(10));
    assertThat(rows("select status || ' ' || error_code from crm.campaign_recipients where campaign_id = ?",
        campaign.id())).containsExactly("failed 131056");
    Campaign done = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(CampaignStatus.COMPLETED);
    assertThat(done.failedCount()).isEqualTo(1);
    assertThat(done.unknownCount()).isZero();
    assertThat(done.currentIndex()).isEqualTo(1);
  }

  @Test
  void aServerErrorLeavesTheSendUnknownNotFailed() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = running(a, List.of("0501440001"));
    FakeWhatsAppGateway fake = new FakeWhatsAppGateway();
    withGateway(fake, tag -> new SendResult.Failed(new SendFailure(SendFailure.Kind.PROVIDER_ERROR, 131000,
        "Something went wrong")), crm -> TestCampaigns.drain(crm));
    assertThat(rows("select status || ' ' || error_code from crm.campaign_recipients where campaign_id = ?",
        campaign.id())).containsExactly("unknown 131000");
    assertThat(fake.sent()).hasSize(1);
  }

  @Test
  void aTemplateWhatsAppWillNotSendPausesTheCampaignWithTheReason() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = running(a, List.of("0501470001", "0501470002"));
    FakeWhatsAppGateway fake = new FakeWhatsAppGateway();
    withGateway(fake, tag -> new SendResult.Failed(new SendFailure(SendFailure.Kind.REJECTED, 132015,
        "Template is paused due to low quality")), crm -> TestCampaigns.drain(crm));
    assertThat(fake.sent()).as("the first refusal pauses it").hasSize(1);
    Campaign paused = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(paused.status()).isEqualTo(CampaignStatus.PAUSED);
    assertThat(paused.statusReason()).hasValueSatisfying(reason -> assertThat(reason)
        .contains("132015").contains("Template is paused"));
    assertThat(rows("select status from crm.campaign_recipients where campaign_id = ? order by position",
        campaign.id())).as("no recipient's fault").containsExactly("pending", "pending");
    a.campaigns().resume(campaign.id());
    TestCampaigns.drain(t.crm);
    assertThat(a.campaigns().get(campaign.id()).orElseThrow().sentCount()).isEqualTo(2);
  }

  @Test
  void theUsersMarketingLimitHoldsTheRecipientForADay() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = running(a, List.of("0501480001"));
    FakeWhatsAppGateway fake = new FakeWhatsAppGateway();
    withGateway(fake, tag -> new SendResult.Failed(new SendFailure(SendFailure.Kind.REJECTED, 131049,
        "This message was not delivered to maintain healthy ecosystem engagement")), crm -> TestCampaigns.drain(crm));
    assertThat(rows("select status || ' ' || error_code || ' ' || (next_attempt_at - " + t.at(Duration.ZERO)
        + " between interval '23 hours' and interval '25 hours') from crm.campaign_recipients where campaign_id = ?", campaign.id()))
        .containsExactly("pending 131049 true");
    assertThat(a.campaigns().get(campaign.id()).orElseThrow().status()).isEqualTo(CampaignStatus.RUNNING);
    t.clock.advance(Duration.ofDays(1).plusMinutes(1));
    TestCampaigns.drain(t.crm);
    assertThat(a.campaigns().get(campaign.id()).orElseThrow().status()).isEqualTo(CampaignStatus.COMPLETED);
  }

  @Test
  void twentyFailuresInARowPauseTheCampaign() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = running(a, java.util.stream.IntStream.range(0, 25)
        .mapToObj(i -> String.format("05014900%02d", i)).toList());
    FakeWhatsAppGateway fake = new FakeWhatsAppGateway();
    withGateway(fake, tag -> new SendResult.Failed(new SendFailure(SendFailure.Kind.UNDELIVERABLE, 131026,
        "Message undeliverable")), crm -> TestCampaigns.drain(crm));
    Campaign paused = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(paused.status()).isEqualTo(CampaignStatus.PAUSED);
    assertThat(paused.failedCount()).isEqualTo(20);
    assertThat(paused.statusReason()).hasValueSatisfying(reason -> assertThat(reason)
        .startsWith("20 sends in a row failed or went unknown; the last: UNDELIVERABLE: Message undeliverable"));
    assertThat(fake.sent()).hasSize(20);
    a.campaigns().stop(campaign.id());
  }

  @Test
  void twentyUnknownsInARowAnOutageAnsweringServerErrorsPauseTheCampaignToo() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = running(a, java.util.stream.IntStream.range(0, 25)
        .mapToObj(i -> String.format("05014700%02d", i)).toList());
    FakeWhatsAppGateway fake = new FakeWhatsAppGateway();
    withGateway(fake, tag -> new SendResult.Failed(new SendFailure(SendFailure.Kind.PROVIDER_ERROR, 131000,
        "Something went wrong")), crm -> TestCampaigns.drain(crm));
    Campaign paused = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(paused.status()).isEqualTo(CampaignStatus.PAUSED);
    assertThat(paused.unknownCount()).isEqualTo(20);
    assertThat(paused.statusReason()).hasValueSatisfying(reason -> assertThat(reason)
        .startsWith("20 sends in a row failed or went unknown; the last: PROVIDER_ERROR: Something went wrong"));
    assertThat(fake.sent()).hasSize(20);
    a.campaigns().stop(campaign.id());
  }

  @Test
  void aPacedCampaignGetsItsTurnBesideABusyUnpacedOne() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    running(a, java.util.stream.IntStream.range(0, 20).mapToObj(i -> String.format("05014500%02d", i)).toList());
    Campaign paced = a.campaigns().create(CampaignDraft.builder("Paced", a.profileId(), CampaignContent.template(
        "spring_offer", "ar", List.of(TemplateComponent.body(List.of(TemplateParameter.of("20%"))))))
        .delay(Duration.ofMinutes(1), Duration.ofMinutes(1)).build());
    a.campaigns().addRecipients(paced.id(), RecipientSelection.phones(List.of("0501460001", "0501460002")));
    a.campaigns().start(paced.id());
    assertThat(t.crm.service(CampaignRunner.class).runOnce(5)).isEqualTo(5);
    assertThat(a.campaigns().get(paced.id()).orElseThrow().sentCount()).as("its turn was not crowded out")
        .isEqualTo(1);
    TestCampaigns.drain(t.crm);
  }

}
