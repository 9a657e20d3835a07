package io.crmkit.campaigns;

import static java.util.function.Function.identity;
import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.campaigns.CampaignContent.TemplateComponent;
import io.crmkit.campaigns.CampaignContent.TemplateParameter;
import io.crmkit.core.Crm;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A runner really dying: a {@link RunnerProcess} (a runner in a child JVM on the same database)
 * killed with {@code destroyForcibly()}, so no finally block, shutdown hook or rollback of its own
 * runs and the server sees its connections cut. What it claimed is nobody's until its lease ends;
 * then a runner in this JVM finishes the campaign and no recipient is sent twice across both
 * processes. A kill between the gateway's call and the record leaves the recipient {@code sending},
 * then {@code unknown} once its lease ends, never sent again by the other runner; a status webhook
 * carrying the attempt id settles it, counts and all.
 *
 * <p>Ending a lease here moves this JVM's clock past it (the runners' times are the Crm's clock):
 * it stands for the two minutes a real takeover waits.
 */
class CampaignRunnerKillTest {
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

  /** The child runs on the system clock: so does this JVM's, until a test moves it. */
  @BeforeEach
  void clockNow() {
    t.clock.set(Instant.now());
  }

  /** The dead runner's leases end: this JVM's clock moves past them instead of waiting two minutes. */
  private static void endLeases() {
    t.clock.set(Instant.now().plus(TestCampaigns.LEASE).plusSeconds(1));
  }

  @Test
  void aRunnerKilledMidBatchLeavesTheRestToAnotherAndNoRecipientIsSentTwice() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    List<String> phones = IntStream.range(0, 12).mapToObj(i -> String.format("05015100%02d", i)).toList();
    Campaign campaign = running(a, phones);
    List<RunnerProcess.Send> childSends;
    try (RunnerProcess child = RunnerProcess.start(t.db, RunnerProcess.Mode.ANSWERS_SLOWLY, 50)) {
      child.awaitSends(3);
      child.kill();
      childSends = child.sends();
    }
    assertThat(childSends).as("killed in the middle of its batch of 12").hasSizeBetween(3, phones.size() - 1);
    assertThat(rows("select count(*) from crm.campaign_recipients where campaign_id = ? and status = 'sending'",
        campaign.id())).as("at most the send in flight").containsAnyOf("0", "1");

    FakeWhatsAppGateway fake = new FakeWhatsAppGateway();
    try (Crm crm = t.crm(fake)) {
      assertThat(crm.service(CampaignRunner.class).runOnce(50)).as("what the dead runner claimed waits out its lease")
          .isZero();
      endLeases();
      TestCampaigns.drain(crm);
    }
    assertThat(fake.sent()).as("the other runner finished the batch").isNotEmpty();
    Map<String, Long> sendsByPhone = Stream.concat(childSends.stream().map(RunnerProcess.Send::phone),
        fake.sent().stream().map(sent -> sent.message().to())).collect(groupingBy(identity(), counting()));
    assertThat(sendsByPhone).as("no recipient sent twice, by one runner or both")
        .allSatisfy((phone, sends) -> assertThat(sends).as(phone).isEqualTo(1L));
    List<String> unknown = rows("select phone from crm.campaign_recipients where campaign_id = ?"
        + " and status = 'unknown'", campaign.id());
    assertThat(unknown).as("the send the kill caught, if it caught one").hasSizeLessThanOrEqualTo(1);
    assertThat(fake.sent()).extracting(sent -> sent.message().to()).as("never sent again by the other runner")
        .doesNotContainAnyElementsOf(unknown);
    assertThat(rows("select phone from crm.campaign_recipients where campaign_id = ? order by position",
        campaign.id())).as("every recipient sent, but one the kill caught before its call")
        .filteredOn(phone -> !sendsByPhone.containsKey(phone)).isSubsetOf(unknown);

    // The kill caught a send the child made: WhatsApp's status of it, with the attempt id, settles it.
    childSends.stream().filter(send -> unknown.contains(send.phone()))
        .forEach(send -> t.status(a, send.wamid(), "sent", send.tag()));
    assertThat(rows("select phone || ' ' || status from crm.campaign_recipients where campaign_id = ?"
        + " order by position", campaign.id())).as("sent once each; unknown only if the kill came before the call")
        .containsExactlyElementsOf(rows("select phone from crm.campaign_recipients where campaign_id = ?"
            + " order by position", campaign.id()).stream()
            .map(phone -> phone + (sendsByPhone.containsKey(phone) ? " sent" : " unknown")).toList());
    Campaign done = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(CampaignStatus.COMPLETED);
    assertThat(done.sentCount()).isEqualTo(sendsByPhone.size());
    assertThat(done.unknownCount()).isEqualTo(phones.size() - sendsByPhone.size());
    assertThat(done.currentIndex()).isEqualTo(phones.size());
  }

  @Test
  void aKillBetweenTheCallAndTheRecordLeavesUnknownWhichAStatusCarryingTheAttemptIdSettles() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = running(a, List.of("0501520001", "0501520002", "0501520003"));
    RunnerProcess.Send send;
    try (RunnerProcess child = RunnerProcess.start(t.db, RunnerProcess.Mode.HANGS_AFTER_ITS_FIRST_SEND, 10)) {
      send = child.awaitSends(1).get(0);
      child.kill();
      assertThat(child.sends()).containsExactly(send);
    }
    assertThat(rows("select status || ' ' || coalesce(wa_message_id, '-') from crm.campaign_recipients"
        + " where attempt_id = ?", send.attempt())).as("sent, but the record never came").containsExactly("sending -");

    FakeWhatsAppGateway fake = new FakeWhatsAppGateway();
    try (Crm crm = t.crm(fake)) {
      assertThat(crm.service(CampaignRunner.class).runOnce(50)).as("what the dead runner claimed waits out its lease")
          .isZero();
      endLeases();
      TestCampaigns.drain(crm);
    }
    assertThat(fake.sent()).extracting(sent -> sent.message().to()).as("the other two, not the one in flight")
        .hasSize(2).doesNotContain(send.phone());
    assertThat(rows("select status from crm.campaign_recipients where attempt_id = ?", send.attempt()))
        .containsExactly("unknown");
    Campaign swept = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(swept.status()).isEqualTo(CampaignStatus.COMPLETED);
    assertThat(swept.sentCount()).isEqualTo(2);
    assertThat(swept.unknownCount()).isEqualTo(1);

    t.status(a, send.wamid(), "delivered", send.tag());
    assertThat(rows("select status || ' ' || wa_message_id || ' ' || (delivered_at is not null)"
        + " from crm.campaign_recipients where attempt_id = ?", send.attempt()))
        .containsExactly("sent " + send.wamid() + " true");
    Campaign settled = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(settled.sentCount()).isEqualTo(3);
    assertThat(settled.unknownCount()).isZero();
    assertThat(settled.deliveredCount()).isEqualTo(1);
    assertThat(settled.currentIndex()).isEqualTo(3);
  }
}
