package io.crmkit.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.campaigns.CampaignContent.TemplateComponent;
import io.crmkit.campaigns.CampaignContent.TemplateParameter;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.exception.ForbiddenException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.users.Role;
import io.crmkit.whatsapp.SendFailure;
import io.crmkit.whatsapp.SendResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Opt-outs: a user's word through crm-whatsapp's webhook, and WhatsApp's 131050, keep every
 * campaign of the tenant from them, when they are added and again before each send.
 */
class CampaignOptOutTest {
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

  private static void writes(TestCampaigns.Tenant tenant, String from, String body) {
    t.writes(tenant, from, body);
  }

  private static Campaign campaign(TestCampaigns.Tenant tenant, List<String> phones) {
    Campaign campaign = tenant.campaigns().create(CampaignDraft.builder("Offer", tenant.profileId(),
        CampaignContent.template("spring_offer", "ar", List.of(TemplateComponent.body(List.of(
            TemplateParameter.of("20%")))))).delay(Duration.ZERO, Duration.ZERO).build());
    tenant.campaigns().addRecipients(campaign.id(), RecipientSelection.phones(phones));
    return campaign;
  }

  private static void drain() {
    TestCampaigns.drain(t.crm);
  }

  private static List<String> sentTo() {
    return t.gateway.sent().stream().map(s -> s.message().to()).toList();
  }

  @Test
  void aUserWhoWritesStopIsSkippedWhenAddedAndWhoWritesStartIsNot() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Customer sara = a.customer("Sara", "0501310001");
    writes(a, "966501310001", " Stop. ");
    writes(a, "966501310002", "stop sending me offers");
    Campaign offer = campaign(a, List.of("0501310001", "0501310002"));
    assertThat(a.campaigns().recipients(offer.id(), 10, Optional.empty()).items())
        .extracting(r -> r.phone().orElseThrow() + " " + r.skipReason().map(SkipReason::databaseName).orElse("-"))
        .as("a sentence with the word is no opt-out").containsExactly("+966501310001 opted_out", "+966501310002 -");
    assertThat(a.admin().customers().timeline(sara.id(), 20, Optional.empty()).items())
        .anyMatch(activity -> activity.type().equals("campaigns_opted_out"));
    assertThat(rows("select source || ' ' || opted_out from crm.campaign_opt_outs where phone = '+966501310001'"
        + " and organization_id = ?", a.id())).containsExactly("keyword true");

    writes(a, "966501310001", "ابدأ");
    Campaign again = campaign(a, List.of("0501310001"));
    assertThat(a.campaigns().recipients(again.id(), 10, Optional.empty()).items())
        .extracting(CampaignRecipient::status).containsExactly(RecipientStatus.PENDING);
    assertThat(t.tenant().campaigns().optOutWords()).isEqualTo(OptOutWords.DEFAULTS);
  }

  @Test
  void metasUserPreferencesStopAndResumeMarketingTheLatestWinning() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Customer omar = a.customer("Omar", "0501330001");
    Instant stopped = Instant.parse("2026-03-10T08:00:00Z");
    t.preference(a, "966501330001", "stop", stopped);
    Campaign offer = campaign(a, List.of("0501330001", "0501330002"));
    assertThat(a.campaigns().recipients(offer.id(), 10, Optional.empty()).items())
        .extracting(r -> r.phone().orElseThrow() + " " + r.skipReason().map(SkipReason::databaseName).orElse("-"))
        .containsExactly("+966501330001 opted_out", "+966501330002 -");
    assertThat(rows("select source || ' ' || opted_out || ' ' || (customer_id = ?) from crm.campaign_opt_outs"
        + " where phone = '+966501330001' and organization_id = ?", omar.id(), a.id()))
        .containsExactly("user_preferences true true");
    assertThat(a.admin().customers().timeline(omar.id(), 20, Optional.empty()).items())
        .anyMatch(activity -> activity.type().equals("campaigns_opted_out"));

    t.preference(a, "966501330001", "resume", stopped.plusSeconds(60));
    t.preference(a, "966501330001", "stop", stopped);
    assertThat(rows("select source || ' ' || opted_out from crm.campaign_opt_outs where phone = '+966501330001'"
        + " and organization_id = ?", a.id())).as("a redelivered older stop does not undo the resume")
        .containsExactly("user_preferences false");
    Campaign again = campaign(a, List.of("0501330001"));
    assertThat(a.campaigns().recipients(again.id(), 10, Optional.empty()).items())
        .extracting(CampaignRecipient::status).containsExactly(RecipientStatus.PENDING);
    t.preference(t.tenant(), "966501330001", "stop", stopped.plusSeconds(120));
    assertThat(rows("select opted_out from crm.campaign_opt_outs where phone = '+966501330001'"
        + " and organization_id = ?", a.id())).as("another tenant's number").containsExactly("f");
  }

  @Test
  void aUserWhoOptsOutAfterBeingAddedIsSkippedBeforeTheSend() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign offer = campaign(a, List.of("0501320001", "0501320002"));
    a.campaigns().start(offer.id());
    writes(a, "966501320001", "توقف");
    drain();
    assertThat(sentTo()).contains("+966501320002").doesNotContain("+966501320001");
    Campaign done = a.campaigns().get(offer.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(CampaignStatus.COMPLETED);
    assertThat(done.skippedCount()).isEqualTo(1);
    assertThat(done.sentCount()).isEqualTo(1);
    assertThat(rows("select status || ' ' || skip_reason from crm.campaign_recipients where campaign_id = ?"
        + " and phone = '+966501320001'", offer.id())).containsExactly("skipped opted_out");
  }

  @Test
  void whatsAppRefusingASendBecauseTheUserStoppedMarketingOptsThemOut() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    Campaign offer = campaign(a, List.of("0501330001"));
    a.campaigns().start(offer.id());
    t.gateway.thenAnswer(new SendResult.Failed(new SendFailure(SendFailure.Kind.MARKETING_OPT_OUT, 131050,
        "User has stopped marketing messages")));
    drain();
    assertThat(rows("select status || ' ' || error_code from crm.campaign_recipients where campaign_id = ?",
        offer.id())).containsExactly("failed 131050");
    assertThat(rows("select source from crm.campaign_opt_outs where phone = '+966501330001'"
        + " and organization_id = ?", a.id())).containsExactly("send_refused");
    Campaign next = campaign(a, List.of("0501330001"));
    assertThat(a.campaigns().recipients(next.id(), 10, Optional.empty()).items())
        .extracting(r -> r.skipReason().orElseThrow()).containsExactly(SkipReason.OPTED_OUT);
  }

  @Test
  void anOrganizationSetsItsOwnWords() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    OptOutWords own = new OptOutWords(List.of("UNSUBSCRIBE", "الغاء الاشتراك"), List.of("SUBSCRIBE"));
    assertThat(a.campaigns().setOptOutWords(own)).isEqualTo(own);
    assertThat(a.campaigns().optOutWords()).isEqualTo(own);
    writes(a, "966501340001", "STOP");
    writes(a, "966501340002", "unsubscribe!");
    Campaign offer = campaign(a, List.of("0501340001", "0501340002"));
    assertThat(a.campaigns().recipients(offer.id(), 10, Optional.empty()).items())
        .extracting(r -> r.skipReason().map(SkipReason::databaseName).orElse("-")).containsExactly("-", "opted_out");

    Map<OptOutWords, String> bad = Map.of(
        new OptOutWords(List.of(), List.of()), "optOut",
        new OptOutWords(List.of("STOP", "stop"), List.of()), "optOut[1]",
        new OptOutWords(List.of("STOP"), List.of("Stop!")), "optIn",
        new OptOutWords(List.of("ST\u0000OP"), List.of()), "optOut[0]",
        new OptOutWords(List.of("..."), List.of()), "optOut[0]");
    bad.forEach((words, field) -> assertThatThrownBy(() -> a.campaigns().setOptOutWords(words))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo(field)));
    assertThatThrownBy(() -> a.member(Role.MANAGER).service(CampaignService.class).setOptOutWords(own))
        .isInstanceOf(ForbiddenException.class);
    assertThat(a.campaigns().optOutWords()).isEqualTo(own);
  }
}
