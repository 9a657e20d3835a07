package io.crmkit.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.campaigns.CampaignContent.TemplateComponent;
import io.crmkit.campaigns.CampaignContent.TemplateParameter;
import io.crmkit.core.Crm;
import io.crmkit.core.exception.ForbiddenException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.users.Role;
import io.crmkit.whatsapp.SendFailure;
import io.crmkit.whatsapp.SendResult;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WhatsApp's limits per profile and per day: the profile's rate shared by runners of two Crms
 * (the gateway times each send), its back-off after 130429, the plan's messages per day and the
 * profile's users per day making a campaign wait for the organization's next day and go on by
 * itself. All but the first run on the tests' clock, which the runners' sleeper moves.
 */
class CampaignPacingTest {
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

  private static Campaign running(TestCampaigns.Tenant tenant, int recipients, String prefix) {
    Campaign campaign = tenant.campaigns().create(CampaignDraft.builder("Offer", tenant.profileId(),
        CampaignContent.template("spring_offer", "ar", List.of(TemplateComponent.body(List.of(
            TemplateParameter.of("20%")))))).delay(Duration.ZERO, Duration.ZERO).build());
    tenant.campaigns().addRecipients(campaign.id(), RecipientSelection.phones(IntStream.rangeClosed(1, recipients)
        .mapToObj(i -> prefix + String.format("%02d", i)).toList()));
    return tenant.campaigns().start(campaign.id());
  }

  private static int drain(Crm crm) {
    return TestCampaigns.drain(crm);
  }

  @Test
  void theProfilesRateIsSharedByRunnersOfTwoCrmsInRealTime() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    a.campaigns().setSendingLimits(a.profileId(), new SendingLimits(5, OptionalInt.empty()));
    Campaign campaign = running(a, 15, "05016100");
    ConcurrentLinkedQueue<Long> sentAt = new ConcurrentLinkedQueue<>();
    FakeWhatsAppGateway one = new FakeWhatsAppGateway();
    FakeWhatsAppGateway two = new FakeWhatsAppGateway();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try (Crm first = t.realTimeCrm(new ScriptedGateway(one, tag -> timed(sentAt)));
        Crm second = t.realTimeCrm(new ScriptedGateway(two, tag -> timed(sentAt)))) {
      List<Future<?>> runs = new ArrayList<>();
      for (Crm crm : List.of(first, second)) {
        runs.add(threads.submit(() -> {
          Instant deadline = Instant.now().plusSeconds(30);
          while (a.campaigns().get(campaign.id()).orElseThrow().status() == CampaignStatus.RUNNING
              && Instant.now().isBefore(deadline)) {
            if (crm.service(CampaignRunner.class).runOnce(50) == 0) {
              Thread.sleep(20);
            }
          }
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get();
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(a.campaigns().get(campaign.id()).orElseThrow().sentCount()).isEqualTo(15);
    assertThat(one.sent().size() + two.sent().size()).as("each recipient once").isEqualTo(15);
    assertThat(one.sent()).as("both runners had turns").isNotEmpty();
    assertThat(two.sent()).as("both runners had turns").isNotEmpty();
    List<Long> times = sentAt.stream().sorted().toList();
    assertThat(Duration.ofNanos(times.get(14) - times.get(0))).as("15 sends at 5 a second: 14 gaps of 200 ms")
        .isGreaterThan(Duration.ofMillis(2500));
    int busiest = 0;
    for (int i = 0; i < times.size(); i++) {
      long start = times.get(i);
      busiest = Math.max(busiest, (int) times.stream().filter(at -> at >= start && at - start < 1_000_000_000L)
          .count());
    }
    assertThat(busiest).as("sends in the busiest second (5, one more for a late one)").isBetween(5, 6);
  }

  private static SendResult timed(ConcurrentLinkedQueue<Long> sentAt) {
    sentAt.add(System.nanoTime());
    return null;
  }

  @Test
  void whatsAppsRateLimitHoldsTheWholeProfileBackLongerWhileItRepeats() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = running(a, 3, "05016200");
    SendResult rateLimited = new SendResult.Failed(new SendFailure(SendFailure.Kind.RATE_LIMITED, 130429,
        "(#130429) Rate limit hit"));
    t.gateway.thenAnswer(rateLimited);
    assertThat(t.crm.service(CampaignRunner.class).runOnce(50)).as("the first is refused; the others wait")
        .isZero();
    assertThat(t.rows("select status || ' ' || coalesce(error_code::text, '-') from crm.campaign_recipients"
        + " where campaign_id = ? order by position", campaign.id()))
        .containsExactly("pending 130429", "pending -", "pending -");
    assertThat(t.rows("select backoff_seconds || ' ' || (backoff_until > " + t.at(Duration.ofMillis(3900)) + ")"
        + " from crm.campaign_profile_limits where profile_id = ?", a.profileId())).containsExactly("4 true");
    assertThat(drain(t.crm)).as("nothing during the back-off").isZero();

    t.clock.advance(Duration.ofSeconds(4));
    t.gateway.thenAnswer(rateLimited);
    assertThat(drain(t.crm)).as("once more refused, then nothing").isZero();
    assertThat(t.rows("select backoff_seconds from crm.campaign_profile_limits where profile_id = ?",
        a.profileId())).as("again within a minute: four times longer").containsExactly("16");
    t.clock.advance(Duration.ofSeconds(14));
    assertThat(drain(t.crm)).as("still held back (a claim takes slots a second ahead at most)").isZero();
    Instant backOffEnds = Instant.parse(t.rows("select to_char(backoff_until at time zone 'UTC',"
        + " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') from crm.campaign_profile_limits where profile_id = ?",
        a.profileId()).get(0));
    t.clock.advance(Duration.ofSeconds(1));
    assertThat(drain(t.crm)).isEqualTo(3);
    assertThat(t.clock.instant()).as("the slots begin when the back-off ends").isAfterOrEqualTo(backOffEnds);
    Campaign done = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(CampaignStatus.COMPLETED);
    assertThat(done.sentCount()).isEqualTo(3);
    assertThat(done.failedCount()).isZero();
  }

  @Test
  void thePlansMessagesPerDayMakeTheCampaignWaitForTheOrganizationsNextDayAndGoOn() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    t.crm.platform().setCustomLimit(a.id(), Limit.MESSAGES_PER_DAY, OptionalLong.of(2));
    Campaign campaign = running(a, 3, "05016300");
    t.events.clear();
    assertThat(drain(t.crm)).isEqualTo(2);
    Campaign waiting = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(waiting.status()).isEqualTo(CampaignStatus.RUNNING);
    ZoneId riyadh = ZoneId.of("Asia/Riyadh");
    Instant nextDay = LocalDate.ofInstant(t.clock.instant(), riyadh).plusDays(1).atStartOfDay(riyadh).toInstant();
    assertThat(waiting.waiting()).contains(new Campaign.Waiting("the plan's 2 messages a day were sent", nextDay));
    assertThat(t.events).contains(new CampaignEvent.Waiting(a.id(), campaign.id(),
        "the plan's 2 messages a day were sent", nextDay));
    assertThat(t.rows("select status from crm.campaign_recipients where campaign_id = ? order by position",
        campaign.id())).containsExactly("sent", "sent", "pending");

    t.clock.set(nextDay.minusSeconds(1));
    assertThat(drain(t.crm)).as("until the day ends").isZero();
    t.clock.set(nextDay);
    assertThat(drain(t.crm)).isEqualTo(1);
    Campaign done = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(CampaignStatus.COMPLETED);
    assertThat(done.waiting()).isEmpty();
    assertThat(t.events).contains(new CampaignEvent.Completed(a.id(), campaign.id()));
  }

  @Test
  void theProfilesUsersPerDayCountEachRecipientOnceAndWaitTheSameWay() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    a.campaigns().setSendingLimits(a.profileId(), new SendingLimits(80, OptionalInt.of(2)));
    Campaign campaign = running(a, 3, "05016400");
    // The first is rate limited per pair: when it is tried again, it is the same user, not a new one.
    t.gateway.thenAnswer(new SendResult.Failed(new SendFailure(SendFailure.Kind.PAIR_RATE_LIMITED, 131056,
        "Pair rate limit hit")));
    drain(t.crm);
    assertThat(t.rows("select status from crm.campaign_recipients where campaign_id = ? order by position",
        campaign.id())).containsExactly("pending", "sent", "pending");
    assertThat(a.campaigns().get(campaign.id()).orElseThrow().waiting()).hasValueSatisfying(waiting ->
        assertThat(waiting.reason()).isEqualTo("the WhatsApp profile reached its 2 users a day"));
    t.clock.advance(Duration.ofSeconds(5));
    drain(t.crm);
    assertThat(t.rows("select count(*) from crm.campaign_recipients where campaign_id = ? and status = 'sent'",
        campaign.id())).as("the whole campaign waits").containsExactly("1");

    ZoneId riyadh = ZoneId.of("Asia/Riyadh");
    LocalDate today = LocalDate.ofInstant(t.clock.instant(), riyadh);
    t.clock.set(today.plusDays(1).atStartOfDay(riyadh).toInstant());
    drain(t.crm);
    assertThat(a.campaigns().get(campaign.id()).orElseThrow().status()).isEqualTo(CampaignStatus.COMPLETED);
    assertThat(a.campaigns().get(campaign.id()).orElseThrow().sentCount()).isEqualTo(3);
    assertThat(t.rows("select day || ' ' || users from crm.campaign_daily_users where profile_id = ? order by day",
        a.profileId())).as("the retried user counted on its first day only")
        .containsExactly(today + " 2", today.plusDays(1) + " 1");
  }

  @Test
  void sendingLimitsAreAdminsToSetAndCheckedBeforeAnythingChanges() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    assertThat(a.campaigns().sendingLimits(a.profileId())).isEqualTo(SendingLimits.DEFAULT);
    assertThatThrownBy(() -> new SendingLimits(0, OptionalInt.empty())).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> new SendingLimits(1001, OptionalInt.empty())).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> new SendingLimits(80, OptionalInt.of(0))).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> a.member(Role.MANAGER).service(CampaignService.class).setSendingLimits(a.profileId(),
        new SendingLimits(20, OptionalInt.empty()))).isInstanceOf(ForbiddenException.class);
    TestCampaigns.Tenant b = t.tenant();
    assertThatThrownBy(() -> b.campaigns().setSendingLimits(a.profileId(), new SendingLimits(20,
        OptionalInt.empty()))).isInstanceOf(io.crmkit.core.exception.NotFoundException.class);
    assertThat(a.campaigns().sendingLimits(a.profileId())).isEqualTo(SendingLimits.DEFAULT);
    SendingLimits shared = new SendingLimits(20, OptionalInt.of(1000));
    assertThat(a.campaigns().setSendingLimits(a.profileId(), shared)).isEqualTo(shared);
    assertThat(a.campaigns().sendingLimits(a.profileId())).isEqualTo(shared);
    assertThat(b.campaigns().sendingLimits(b.profileId())).isEqualTo(SendingLimits.DEFAULT);
  }

  @Test
  void aRunnerWaitsOneGapPerSendEvenOnAClockThatStandsStill() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    a.campaigns().setSendingLimits(a.profileId(), new SendingLimits(10, OptionalInt.empty()));
    Campaign campaign = running(a, 5, "05016500");
    List<Duration> waits = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Crm crm = t.crm(new FakeWhatsAppGateway(), waits::add)) {
      assertThat(crm.service(CampaignRunner.class).runOnce(50)).isEqualTo(5);
    }
    assertThat(waits).as("a tenth of a second before each send but the first, the clock standing still")
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(100),
            Duration.ofMillis(100));
    assertThat(a.campaigns().get(campaign.id()).orElseThrow().sentCount()).isEqualTo(5);
  }

  @Test
  void sendsInFlightTogetherThatComeBackRateLimitedShareOneBackOff() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = running(a, 3, "05016600");
    SendResult rateLimited = new SendResult.Failed(new SendFailure(SendFailure.Kind.RATE_LIMITED, 130429,
        "(#130429) Rate limit hit"));
    FakeWhatsAppGateway fake = new FakeWhatsAppGateway();
    // While the first send is in flight, another runner sends the second; both come back 130429.
    try (Crm other = t.crm(new ScriptedGateway(fake, tag -> rateLimited));
        Crm crm = t.crm(new ScriptedGateway(fake, tag -> {
          if (fake.sent().size() == 1) {
            other.service(CampaignRunner.class).runOnce(1);
          }
          return rateLimited;
        }))) {
      crm.service(CampaignRunner.class).runOnce(1);
    }
    assertThat(fake.sent()).hasSize(2);
    assertThat(t.rows("select backoff_seconds from crm.campaign_profile_limits where profile_id = ?",
        a.profileId())).as("one wait of 4 s, not 16").containsExactly("4");
    assertThat(t.rows("select count(*) from crm.campaign_recipients where campaign_id = ? and status = 'pending'",
        campaign.id())).containsExactly("3");
  }
}
