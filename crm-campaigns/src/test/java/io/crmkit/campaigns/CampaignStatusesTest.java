package io.crmkit.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.campaigns.CampaignContent.TemplateComponent;
import io.crmkit.campaigns.CampaignContent.TemplateParameter;
import io.crmkit.whatsapp.SendResult;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Statuses of campaign sends, through crm-whatsapp's signed webhook: the attempt id in the
 * callback data settles an unknown send and counts delivery and reading once.
 */
class CampaignStatusesTest {
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

  private static int status(TestCampaigns.Tenant tenant, String wamid, String state, String tag) {
    t.status(tenant, wamid, state, tag);
    return 200;
  }

  private static Campaign campaign(TestCampaigns.Tenant tenant) {
    return tenant.campaigns().get(rowsUnchecked("select id from crm.campaigns where organization_id = ?",
        tenant.id())).orElseThrow();
  }

  private static java.util.UUID rowsUnchecked(String sql, Object... parameters) {
    return java.util.UUID.fromString(rows(sql, parameters).get(0));
  }

  @Test
  void aStatusSettlesAnUnknownSendAndDeliveryAndReadingAreCountedOnce() throws Exception {
    TestCampaigns.Tenant a = t.tenant();
    TestCampaigns.Tenant b = t.tenant();
    Campaign created = a.campaigns().create(CampaignDraft.builder("Offer", a.profileId(), CampaignContent.template(
        "spring_offer", "ar", List.of(TemplateComponent.body(List.of(TemplateParameter.of("20%"))))))
        .delay(Duration.ZERO, Duration.ZERO).build());
    a.campaigns().addRecipients(created.id(), RecipientSelection.phones(List.of("0501280001", "0501280002")));
    a.campaigns().start(created.id());
    t.gateway.thenAnswer(new SendResult.Unknown("timed out"));
    CampaignRunner runner = t.crm.service(CampaignRunner.class);
    while (runner.runOnce(50) > 0) {
      // every recipient
    }
    List<FakeWhatsAppGateway.Sent> sent = t.gateway.sent().subList(t.gateway.sent().size() - 2, t.gateway.sent().size());
    String lostTag = sent.get(0).tag().orElseThrow();
    String deliveredTag = sent.get(1).tag().orElseThrow();
    String deliveredWamid = ((SendResult.Accepted) sent.get(1).result()).providerMessageId();
    assertThat(campaign(a).unknownCount()).isEqualTo(1);

    assertThat(status(b, "wamid.lost", "sent", lostTag)).as("another tenant's number").isEqualTo(200);
    assertThat(campaign(a).unknownCount()).as("B's number finds no send of A").isEqualTo(1);

    assertThat(status(a, "wamid.lost", "delivered", lostTag)).isEqualTo(200);
    Campaign settled = campaign(a);
    assertThat(settled.unknownCount()).isZero();
    assertThat(settled.sentCount()).isEqualTo(2);
    assertThat(settled.deliveredCount()).isEqualTo(1);
    assertThat(rows("select status || ' ' || wa_message_id from crm.campaign_recipients where attempt_id = ?",
        java.util.UUID.fromString(lostTag.substring("crmkit.campaign:".length()))))
        .containsExactly("sent wamid.lost");

    assertThat(status(a, deliveredWamid, "delivered", deliveredTag)).isEqualTo(200);
    assertThat(status(a, deliveredWamid, "read", deliveredTag)).isEqualTo(200);
    assertThat(status(a, deliveredWamid, "read", deliveredTag)).as("again").isEqualTo(200);
    Campaign read = campaign(a);
    assertThat(read.deliveredCount()).isEqualTo(2);
    assertThat(read.readCount()).isEqualTo(1);

    assertThat(status(a, "wamid.lost", "failed", lostTag)).isEqualTo(200);
    Campaign failed = campaign(a);
    assertThat(failed.sentCount()).isEqualTo(1);
    assertThat(failed.failedCount()).isEqualTo(1);
    assertThat(rows("select status || ' ' || error_code from crm.campaign_recipients where attempt_id = ?",
        java.util.UUID.fromString(lostTag.substring("crmkit.campaign:".length()))))
        .containsExactly("failed 131026");
    assertThat(rows("select count(*) from crm.whatsapp_early_statuses")).as("none kept as a reply's status")
        .containsExactly("0");
  }
}
