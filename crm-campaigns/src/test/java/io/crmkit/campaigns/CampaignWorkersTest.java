package io.crmkit.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.campaigns.CampaignContent.TemplateComponent;
import io.crmkit.campaigns.CampaignContent.TemplateParameter;
import io.crmkit.core.Crm;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.whatsapp.SendFailure;
import io.crmkit.whatsapp.SendResult;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runner threads a host starts and stops ({@link CampaignRunner#start}), the events listeners are
 * told after commit, and a schedule on the organization's own clock.
 */
class CampaignWorkersTest {
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
    t.events.clear();
  }

  private static Campaign draft(TestCampaigns.Tenant tenant, int recipients, String prefix) {
    Campaign campaign = tenant.campaigns().create(CampaignDraft.builder("Offer", tenant.profileId(),
        CampaignContent.template("spring_offer", "ar", List.of(TemplateComponent.body(List.of(
            TemplateParameter.of("20%")))))).delay(Duration.ZERO, Duration.ZERO).build());
    tenant.campaigns().addRecipients(campaign.id(), RecipientSelection.phones(IntStream.rangeClosed(1, recipients)
        .mapToObj(i -> prefix + String.format("%02d", i)).toList()));
    return campaign;
  }

  @Test
  void workersSendUntilClosedAndClosingLetsTheSendInFlightFinishAndGivesTheRestBack() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = draft(a, 8, "05017100");
    a.campaigns().start(campaign.id());
    FakeWhatsAppGateway fake = new FakeWhatsAppGateway();
    CountDownLatch inFlight = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    try (Crm crm = t.realTimeCrm(new ScriptedGateway(fake, tag -> {
      inFlight.countDown();
      await(answer);
      return null;
    }))) {
      CampaignRunner.Workers workers = crm.service(CampaignRunner.class)
          .start(new CampaignRunner.Settings(1, Duration.ofMillis(10), 5));
      assertThat(inFlight.await(20, TimeUnit.SECONDS)).isTrue();
      Thread closer = new Thread(workers::close);
      closer.start();
      closer.join(300);
      assertThat(closer.isAlive()).as("close waits for the send in flight").isTrue();
      assertThat(workers.stopped()).isFalse();
      answer.countDown();
      closer.join(20_000);
      assertThat(closer.isAlive()).isFalse();
      assertThat(workers.stopped()).isTrue();
    }
    assertThat(fake.sent()).as("nothing sent after close").hasSize(1);
    assertThat(t.rows("select status || ' ' || (lease_token is null) from crm.campaign_recipients"
        + " where campaign_id = ? order by position", campaign.id()))
        .as("the send in flight recorded; the rest of its batch given back at once, for any runner")
        .containsExactly("sent true", "pending true", "pending true", "pending true", "pending true", "pending true",
            "pending true", "pending true");

    try (Crm crm = t.realTimeCrm(new ScriptedGateway(fake, tag -> null));
        CampaignRunner.Workers workers = crm.service(CampaignRunner.class)
            .start(new CampaignRunner.Settings(2, Duration.ofMillis(10), 3))) {
      Instant deadline = Instant.now().plusSeconds(20);
      while (a.campaigns().get(campaign.id()).orElseThrow().status() == CampaignStatus.RUNNING
          && Instant.now().isBefore(deadline)) {
        Thread.sleep(20);
      }
    }
    Campaign done = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(CampaignStatus.COMPLETED);
    assertThat(done.sentCount()).isEqualTo(8);
    assertThat(fake.sent()).hasSize(8);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void workerSettingsOutsideTheirRangesAreRefused() {
    assertThatThrownBy(() -> new CampaignRunner.Settings(0, Duration.ofSeconds(1), 50))
        .isInstanceOf(ValidationException.class).hasMessageContaining("workers");
    assertThatThrownBy(() -> new CampaignRunner.Settings(1, Duration.ofMillis(1), 50))
        .isInstanceOf(ValidationException.class).hasMessageContaining("pollInterval");
    assertThatThrownBy(() -> new CampaignRunner.Settings(1, Duration.ofSeconds(1), 1001))
        .isInstanceOf(ValidationException.class).hasMessageContaining("batchSize");
    assertThatThrownBy(() -> CampaignsModule.builder().lease(Duration.ofSeconds(4)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void listenersAreToldOfStartsPausesAndCompletionAfterCommitOnly() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign rolledBack = draft(a, 1, "05017200");
    assertThatThrownBy(() -> a.admin().inTransaction(scope -> {
      scope.service(CampaignService.class).start(rolledBack.id());
      throw new IllegalStateException("the host changes its mind");
    })).hasMessage("the host changes its mind");
    assertThat(t.events).as("nothing for a rollback").isEmpty();

    Campaign refused = draft(a, 2, "05017300");
    a.campaigns().start(refused.id());
    t.gateway.thenAnswer(new SendResult.Failed(new SendFailure(SendFailure.Kind.REJECTED, 132015,
        "Template is paused")));
    t.crm.service(CampaignRunner.class).runOnce(10);
    a.campaigns().resume(refused.id());
    a.campaigns().pause(refused.id());
    a.campaigns().stop(refused.id());
    Campaign sent = draft(a, 1, "05017400");
    a.campaigns().start(sent.id());
    t.crm.service(CampaignRunner.class).runOnce(10);
    assertThat(t.events).containsExactly(
        new CampaignEvent.Started(a.id(), refused.id()),
        new CampaignEvent.Paused(a.id(), refused.id(), Optional.of("WhatsApp refused the template (132015): "
            + "Template is paused")),
        new CampaignEvent.Started(a.id(), refused.id()),
        new CampaignEvent.Paused(a.id(), refused.id(), Optional.empty()),
        new CampaignEvent.Stopped(a.id(), refused.id()),
        new CampaignEvent.Started(a.id(), sent.id()),
        new CampaignEvent.Completed(a.id(), sent.id()));
  }

  @Test
  void aScheduleOnTheOrganizationsClockIsInItsTimeZone() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = draft(a, 1, "05017500");
    // The tests' clock is 2026-03-10T09:00Z; the tenant is in Riyadh (UTC+3).
    Campaign scheduled = a.campaigns().schedule(campaign.id(), LocalDateTime.parse("2026-03-11T09:00"));
    assertThat(scheduled.scheduledAt()).contains(Instant.parse("2026-03-11T06:00:00Z"));
    t.clock.set(Instant.parse("2026-03-11T05:59:59Z"));
    t.crm.service(CampaignRunner.class).runOnce(10);
    assertThat(a.campaigns().get(campaign.id()).orElseThrow().status()).isEqualTo(CampaignStatus.SCHEDULED);
    t.clock.set(Instant.parse("2026-03-11T06:00:00Z"));
    t.crm.service(CampaignRunner.class).runOnce(10);
    assertThat(a.campaigns().get(campaign.id()).orElseThrow().status()).isEqualTo(CampaignStatus.COMPLETED);
    assertThat(t.events).contains(new CampaignEvent.Started(a.id(), campaign.id()),
        new CampaignEvent.Completed(a.id(), campaign.id()));
  }
}
