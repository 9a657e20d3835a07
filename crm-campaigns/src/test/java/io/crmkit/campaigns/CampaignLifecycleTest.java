package io.crmkit.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.campaigns.CampaignContent.TemplateComponent;
import io.crmkit.campaigns.CampaignContent.TemplateParameter;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.ForbiddenException;
import io.crmkit.core.exception.LimitExceededException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Limit;
import io.crmkit.testdb.RowCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A campaign's life: every message rendered before it leaves the draft (a missing value refused,
 * nothing changed), the plan's feature and monthly count, and the moves between states.
 */
class CampaignLifecycleTest {
  private static TestCampaigns t;

  @BeforeAll
  static void setUp() {
    t = TestCampaigns.start();
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private static Map<String, Long> rows() {
    return RowCounts.of(t.db.adminDataSource(), "crm");
  }

  private static Campaign campaign(TestCampaigns.Tenant tenant, String body, List<String> phones) {
    Campaign campaign = tenant.campaigns().create(CampaignDraft.builder("Offer", tenant.profileId(),
        CampaignContent.template("offer", "ar", List.of(TemplateComponent.body(List.of(TemplateParameter.of(body))))))
        .build());
    if (!phones.isEmpty()) {
      tenant.campaigns().addRecipients(campaign.id(), RecipientSelection.phones(phones));
    }
    return campaign;
  }

  @Test
  void aOneWordNameLeavesLastNameEmptyAndTheStartIsRefusedNamingItWithNothingChanged() {
    TestCampaigns.Tenant a = t.tenant();
    a.customer("Sara Al-Harbi", "0501120001");
    a.customer("Madonna", "0501120002");
    Campaign campaign = campaign(a, "Dear {{last_name}}", List.of("0501120001", "0501120002"));
    Map<String, Long> before = rows();
    assertThatThrownBy(() -> a.campaigns().start(campaign.id()))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("content.components[0].parameters[0].value");
          assertThat(e.reason()).contains("{{last_name}}").contains("recipient 2 (+966501120002)");
        });
    assertThat(rows()).as("no usage taken, nothing changed").isEqualTo(before);
    assertThat(a.campaigns().get(campaign.id()).orElseThrow().status()).isEqualTo(CampaignStatus.DRAFT);

    Campaign withFallback = campaign(a, "Dear {{last_name|customer}}, مرحبا", List.of("0501120001", "0501120002"));
    assertThat(a.campaigns().start(withFallback.id()).status()).isEqualTo(CampaignStatus.RUNNING);
  }

  @Test
  void valuesWhatsAppRefusesAreRefusedBeforeTheStart() {
    TestCampaigns.Tenant a = t.tenant();
    Customer sara = a.customer("Sara", "0501130001");
    a.admin().customers().setCustomFields(sara.id(), Map.of("address", "Line one\nLine two", "code", "A  B"));
    Campaign multiline = campaign(a, "Ships to {{custom.address}}", List.of("0501130001"));
    assertThatThrownBy(() -> a.campaigns().start(multiline.id())).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.reason()).contains("line break"));
    Campaign noSuchField = campaign(a, "Code {{custom.voucher}}", List.of("0501130001"));
    assertThatThrownBy(() -> a.campaigns().start(noSuchField.id())).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.reason()).contains("{{custom.voucher}} has no value"));
    Campaign spaces = campaign(a, "Code {{custom.code}}", List.of("0501130001"));
    assertThat(a.campaigns().start(spaces.id()).status()).as("two spaces are allowed").isEqualTo(CampaignStatus.RUNNING);
    Campaign raw = campaign(a, "Hello {{full_name}}", List.of("0501130002"));
    assertThatThrownBy(() -> a.campaigns().start(raw.id())).as("a number that is no customer has no name")
        .isInstanceOf(ValidationException.class);
    Campaign empty = campaign(a, "Hello", List.of());
    assertThatThrownBy(() -> a.campaigns().start(empty.id())).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.field()).isEqualTo("recipients"));
  }

  @Test
  void pauseResumeAndStopMoveOnlyWhereAllowedAndAStoppedCampaignIsReadOnly() {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = campaign(a, "Hello {{first_name|there}}", List.of("0501140001"));
    assertThatThrownBy(() -> a.campaigns().pause(campaign.id())).isInstanceOf(ConflictException.class);
    Campaign running = a.campaigns().start(campaign.id());
    assertThat(running.startedAt()).contains(t.clock.instant());
    assertThat(a.campaigns().pause(campaign.id()).status()).isEqualTo(CampaignStatus.PAUSED);
    assertThatThrownBy(() -> a.campaigns().pause(campaign.id())).isInstanceOf(ConflictException.class);
    assertThat(a.campaigns().resume(campaign.id()).status()).isEqualTo(CampaignStatus.RUNNING);
    Campaign stopped = a.campaigns().stop(campaign.id());
    assertThat(stopped.status()).isEqualTo(CampaignStatus.STOPPED);
    assertThat(stopped.completedAt()).contains(t.clock.instant());
    Map<String, Long> before = rows();
    for (Runnable move : List.<Runnable>of(() -> a.campaigns().start(campaign.id()),
        () -> a.campaigns().resume(campaign.id()), () -> a.campaigns().stop(campaign.id()),
        () -> a.campaigns().delete(campaign.id()))) {
      assertThatThrownBy(move::run).isInstanceOf(ConflictException.class).hasMessageContaining("read-only");
    }
    assertThat(rows()).isEqualTo(before);
  }

  @Test
  void aScheduledCampaignRendersNowAndItsTagsCustomersJoinAtTheStart() {
    TestCampaigns.Tenant a = t.tenant();
    Customer vip = a.customer("Layla Hassan", "0501150001");
    a.admin().customers().tag(vip.id(), List.of("vip"));
    Campaign campaign = campaign(a, "Hello {{first_name}}", List.of());
    a.campaigns().addRecipients(campaign.id(), RecipientSelection.tag(" vip "));
    assertThat(a.campaigns().get(campaign.id()).orElseThrow().totalRecipients()).isZero();

    assertThatThrownBy(() -> a.campaigns().schedule(campaign.id(), t.clock.instant()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("at"));
    Customer nameless = a.customer(null, "0501150002");
    a.admin().customers().tag(nameless.id(), List.of("vip"));
    assertThatThrownBy(() -> a.campaigns().schedule(campaign.id(), t.clock.instant().plus(Duration.ofDays(1))))
        .as("the tag's customers are rendered too").isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.reason()).contains("+966501150002"));
    a.admin().customers().untag(nameless.id(), List.of("vip"));

    Instant at = t.clock.instant().plus(Duration.ofDays(1));
    Campaign scheduled = a.campaigns().schedule(campaign.id(), at);
    assertThat(scheduled.status()).isEqualTo(CampaignStatus.SCHEDULED);
    assertThat(scheduled.scheduledAt()).contains(at);
    Customer later = a.customer("Omar Saleh", "0501150003");
    a.admin().customers().tag(later.id(), List.of("vip"));

    Campaign running = a.campaigns().start(campaign.id());
    assertThat(running.totalRecipients()).isEqualTo(2);
    assertThat(a.campaigns().recipients(campaign.id(), 10, Optional.empty()).items())
        .extracting(r -> r.customerId().orElseThrow()).containsExactly(vip.id(), later.id());
  }

  @Test
  void leavingTheDraftNeedsTheBulkSenderFeatureAndTakesOneOfTheMonthsCampaigns() {
    TestCampaigns.Tenant lite = t.tenant("lite");
    Campaign offer = campaign(lite, "Hello", List.of("0501160001"));
    assertThatThrownBy(() -> lite.campaigns().start(offer.id()))
        .isInstanceOfSatisfying(io.crmkit.core.exception.FeatureNotInPlanException.class, e -> {
          assertThat(e.feature()).isEqualTo("bulk_sender");
          assertThat(e.planSlug()).isEqualTo("lite");
          assertThat(e.operation()).isEqualTo("campaigns.start");
        });
    assertThatThrownBy(() -> lite.campaigns().schedule(offer.id(), t.clock.instant().plusSeconds(3600)))
        .isInstanceOfSatisfying(io.crmkit.core.exception.FeatureNotInPlanException.class,
            e -> assertThat(e.operation()).isEqualTo("campaigns.schedule"));

    TestCampaigns.Tenant a = t.tenant();
    t.crm.platform().setCustomLimit(a.id(), Limit.CAMPAIGNS_PER_MONTH, OptionalLong.of(1));
    Campaign first = campaign(a, "Hello", List.of("0501160001"));
    Campaign second = campaign(a, "Hello", List.of("0501160001"));
    a.campaigns().schedule(first.id(), t.clock.instant().plus(Duration.ofHours(1)));
    Map<String, Long> before = rows();
    assertThatThrownBy(() -> a.campaigns().start(second.id())).isInstanceOfSatisfying(LimitExceededException.class,
        e -> assertThat(e.limit()).isEqualTo(Limit.CAMPAIGNS_PER_MONTH));
    assertThat(rows()).isEqualTo(before);
    assertThat(a.campaigns().start(first.id()).status()).as("a scheduled campaign took its unit already")
        .isEqualTo(CampaignStatus.RUNNING);
  }

  @Test
  void onlyADraftIsDeletedWithItsRecipients() {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = campaign(a, "Hello", List.of("0501170001", "0501170002"));
    Map<String, Long> before = rows();
    a.campaigns().delete(campaign.id());
    assertThat(a.campaigns().get(campaign.id())).isEmpty();
    Map<String, Long> after = rows();
    assertThat(after.get("campaigns")).isEqualTo(before.get("campaigns") - 1);
    assertThat(after.get("campaign_recipients")).isEqualTo(before.get("campaign_recipients") - 2);
  }
}
