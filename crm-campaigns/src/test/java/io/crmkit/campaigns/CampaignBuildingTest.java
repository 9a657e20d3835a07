package io.crmkit.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.campaigns.CampaignContent.TemplateComponent;
import io.crmkit.campaigns.CampaignContent.TemplateParameter;
import io.crmkit.core.Page;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.ForbiddenException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.users.Role;
import io.crmkit.testdb.RowCounts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Writing a campaign: its content checked and kept, and its recipients, one per WhatsApp identity. */
class CampaignBuildingTest {
  private static TestCampaigns t;

  @BeforeAll
  static void setUp() {
    t = TestCampaigns.start();
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private static CampaignContent offer() {
    return CampaignContent.template("spring_offer", "ar", List.of(
        TemplateComponent.header(List.of(TemplateParameter.of("{{company|عميلنا العزيز}}"))),
        TemplateComponent.body(List.of(TemplateParameter.of("{{first_name|عميلنا}}"), TemplateParameter.of("20%"))),
        TemplateComponent.button(0, "url", List.of(TemplateParameter.of("spring-2026")))));
  }

  private static Map<String, Long> rows() {
    return RowCounts.of(t.db.adminDataSource(), "crm");
  }

  @Test
  void aTemplateCampaignIsKeptAsWrittenArabicAndRightToLeftMarksIncluded() {
    TestCampaigns.Tenant a = t.tenant();
    CampaignContent named = CampaignContent.template("order_ready", "en_US", List.of(TemplateComponent.body(List.of(
        TemplateParameter.named("customer_name", "\u200F{{full_name|عميلنا}}"),
        TemplateParameter.named("order", "{{custom.order_number}}")))));
    Campaign created = a.campaigns().create(CampaignDraft.builder("عرض الربيع", a.profileId(), named)
        .delay(Duration.ofMillis(500), Duration.ofSeconds(1)).build());

    assertThat(created.status()).isEqualTo(CampaignStatus.DRAFT);
    assertThat(created.name()).isEqualTo("عرض الربيع");
    assertThat(created.content()).isEqualTo(named);
    assertThat(created.delayMin()).isEqualTo(Duration.ofMillis(500));
    assertThat(created.createdBy()).contains(a.org().admin().id());
    assertThat(a.campaigns().get(created.id())).contains(created);
    Campaign free = a.campaigns().create(CampaignDraft.builder("Ready", a.profileId(),
        CampaignContent.freeForm("Hello {{ first_name | there }},\nyour order is ready.")).build());
    assertThat(free.content()).isEqualTo(CampaignContent.freeForm("Hello {{ first_name | there }},\nyour order is ready."));
    assertThat(free.delayMin()).isEqualTo(Duration.ofSeconds(2));
    assertThat(free.delayMax()).isEqualTo(Duration.ofSeconds(5));
    assertThat(a.campaigns().list(1, Optional.empty()).items()).containsExactly(free);
    Page<Campaign> first = a.campaigns().list(1, Optional.empty());
    assertThat(a.campaigns().list(1, first.nextCursor()).items()).containsExactly(created);
  }

  @Test
  void badContentIsRefusedNamingItAndNothingIsStored() {
    TestCampaigns.Tenant a = t.tenant();
    TestCampaigns.Tenant b = t.tenant();
    CampaignService agent = a.member(Role.AGENT).service(CampaignService.class);
    Map<String, Long> before = rows();
    Map<CampaignContent, String> bad = Map.of(
        CampaignContent.freeForm("Hi {{nickname}}"), "content.text",
        CampaignContent.freeForm("Hi {{first_name"), "content.text",
        CampaignContent.freeForm("Hi \u0000"), "content.text",
        CampaignContent.freeForm(""), "content.text",
        CampaignContent.template("Spring Offer", "ar", List.of()), "content.name",
        CampaignContent.template("offer", "arabic", List.of()), "content.languageCode",
        CampaignContent.template("offer", "ar", List.of(TemplateComponent.body(List.of(
            TemplateParameter.of("a"), TemplateParameter.named("b", "b"))))), "content.components[0].parameters[1]",
        CampaignContent.template("offer", "ar", List.of(TemplateComponent.body(List.of()))),
        "content.components[0].parameters",
        CampaignContent.template("offer", "ar", List.of(TemplateComponent.body(List.of(TemplateParameter.of("a"))),
            TemplateComponent.body(List.of(TemplateParameter.of("b"))))), "content.components[1]",
        CampaignContent.template("offer", "ar", List.of(TemplateComponent.button(10, "url",
            List.of(TemplateParameter.of("x"))))), "content.components[0].buttonIndex");
    bad.forEach((content, field) -> assertThatThrownBy(() -> a.campaigns().create(
        CampaignDraft.builder("Offer", a.profileId(), content).build()))
        .as(content.toString()).isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo(field)));
    assertThatThrownBy(() -> a.campaigns().create(CampaignDraft.builder("Offer", a.profileId(), offer())
        .delay(Duration.ofSeconds(5), Duration.ofSeconds(1)).build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("delayMax"));
    assertThatThrownBy(() -> a.campaigns().create(CampaignDraft.builder("Offer", b.profileId(), offer())
        .build())).as("another tenant's profile")
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("profileId"));
    assertThatThrownBy(() -> agent.create(CampaignDraft.builder("Offer", a.profileId(), offer()).build()))
        .isInstanceOf(ForbiddenException.class);
    assertThat(rows()).isEqualTo(before);
  }

  @Test
  void customersBecomeOneRecipientEachReachedAtTheirWhatsAppPhone() {
    TestCampaigns.Tenant a = t.tenant();
    Customer sara = a.customer("Sara Al-Harbi", "0501110001");
    Customer noPhone = a.customer("Walk-in", null);
    Customer theirs = t.tenant().customer("Their customer", "0501110002");
    Campaign campaign = a.campaigns().create(CampaignDraft.builder("Offer", a.profileId(), offer()).build());

    RecipientReport report = a.campaigns().addRecipients(campaign.id(), RecipientSelection.customers(
        List.of(sara.id(), noPhone.id(), sara.id(), theirs.id(), UUID.randomUUID())));
    assertThat(report.added()).isEqualTo(1);
    assertThat(report.merged()).isEqualTo(1);
    assertThat(report.skipped()).isEqualTo(Map.of(SkipReason.NO_WHATSAPP_PHONE, 1, SkipReason.CUSTOMER_NOT_FOUND, 2));
    assertThat(a.campaigns().recipients(campaign.id(), 10, Optional.empty()).items()).containsExactly(
        new CampaignRecipient(recipient(a, campaign, 1).id(), 1, Optional.of("+966501110001"), Optional.empty(),
            Optional.of(sara.id()), RecipientStatus.PENDING, Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
        new CampaignRecipient(recipient(a, campaign, 2).id(), 2, Optional.empty(), Optional.empty(),
            Optional.of(noPhone.id()), RecipientStatus.SKIPPED, Optional.of(SkipReason.NO_WHATSAPP_PHONE),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty()));

    RecipientReport phones = a.campaigns().addRecipients(campaign.id(), RecipientSelection.phones(
        List.of("+966 50 111 0001", "٠٥٠١١١٠٠٠٣", "0501110003", "12345", "00971501234567")));
    assertThat(phones.added()).as("Sara's number again, and the same new number twice, merged").isEqualTo(2);
    assertThat(phones.merged()).isEqualTo(2);
    assertThat(phones.skipped()).isEqualTo(Map.of(SkipReason.INVALID_NUMBER, 1));
    assertThat(a.campaigns().addRecipients(campaign.id(), RecipientSelection.userIds(
        List.of("SA.1502576394655843")))).isEqualTo(new RecipientReport(1, 0, Map.of()));

    List<CampaignRecipient> all = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<CampaignRecipient> page = a.campaigns().recipients(campaign.id(), 2, cursor);
      all.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    assertThat(all).extracting(r -> r.position() + " " + r.phone().or(r::userId).orElse("-") + " "
        + r.status().databaseName() + r.skipReason().map(s -> " " + s.databaseName()).orElse(""))
        .containsExactly("1 +966501110001 pending", "2 - skipped no_whatsapp_phone", "3 +966501110003 pending",
            "4 12345 skipped invalid_number", "5 +971501234567 pending", "6 SA.1502576394655843 pending");
    Campaign counted = a.campaigns().get(campaign.id()).orElseThrow();
    assertThat(counted.totalRecipients()).isEqualTo(6);
    assertThat(counted.skippedCount()).isEqualTo(2);
  }

  @Test
  void aPhoneThatIsACustomersWhatsAppPhoneReachesThatCustomer() {
    TestCampaigns.Tenant a = t.tenant();
    Customer omar = a.customer("Omar", "0501110004");
    Campaign campaign = a.campaigns().create(CampaignDraft.builder("Offer", a.profileId(), offer()).build());
    a.campaigns().addRecipients(campaign.id(), RecipientSelection.phones(List.of("050 111 0004")));
    assertThat(a.campaigns().addRecipients(campaign.id(), RecipientSelection.customers(List.of(omar.id()))))
        .as("the same identity").isEqualTo(new RecipientReport(0, 1, Map.of()));
    assertThat(a.campaigns().recipients(campaign.id(), 10, Optional.empty()).items())
        .extracting(CampaignRecipient::customerId).containsExactly(Optional.of(omar.id()));
  }

  @Test
  void badSelectionsAreRefusedBeforeAnythingChanges() {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = a.campaigns().create(CampaignDraft.builder("Offer", a.profileId(), offer()).build());
    Map<String, Long> before = rows();
    Map<RecipientSelection, String> bad = Map.of(
        RecipientSelection.phones(List.of("0501110001", "050\u0000111")), "phones[1]",
        RecipientSelection.phones(List.of()), "selection",
        RecipientSelection.phones(java.util.Collections.nCopies(10_001, "0501110001")), "selection",
        RecipientSelection.userIds(List.of("not-a-user-id")), "userIds[0]",
        RecipientSelection.tag(" "), "tag");
    bad.forEach((selection, field) -> assertThatThrownBy(() -> a.campaigns().addRecipients(campaign.id(), selection))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo(field)));
    assertThat(rows()).isEqualTo(before);
  }

  private static CampaignRecipient recipient(TestCampaigns.Tenant tenant, Campaign campaign, int position) {
    return tenant.campaigns().recipients(campaign.id(), 200, Optional.empty()).items().stream()
        .filter(r -> r.position() == position).findFirst().orElseThrow();
  }

  @Test
  void anotherTenantsCampaignIsNotThere() {
    TestCampaigns.Tenant a = t.tenant();
    TestCampaigns.Tenant b = t.tenant();
    Campaign campaign = a.campaigns().create(CampaignDraft.builder("Offer", a.profileId(), offer()).build());
    assertThat(b.campaigns().get(campaign.id())).isEmpty();
    assertThat(b.campaigns().list(10, Optional.empty()).items()).isEmpty();
    CampaignService theirs = b.campaigns();
    Map<String, Long> before = rows();
    List<java.util.function.Consumer<UUID>> byId = List.of(
        id -> theirs.addRecipients(id, RecipientSelection.tag("vip")),
        id -> theirs.addRecipients(id, RecipientSelection.phones(List.of("0501110009"))),
        id -> theirs.recipients(id, 10, Optional.empty()),
        id -> theirs.schedule(id, t.clock.instant().plus(Duration.ofDays(1))), theirs::start, theirs::pause,
        theirs::resume, theirs::stop, theirs::delete);
    for (java.util.function.Consumer<UUID> call : byId) {
      assertThatThrownBy(() -> call.accept(campaign.id())).as("A's campaign")
          .isInstanceOfSatisfying(io.crmkit.core.exception.NotFoundException.class,
              e -> assertThat(e.entity()).isEqualTo("campaign"));
      assertThatThrownBy(() -> call.accept(UUID.randomUUID())).as("no campaign")
          .isInstanceOfSatisfying(io.crmkit.core.exception.NotFoundException.class,
              e -> assertThat(e.entity()).isEqualTo("campaign"));
    }
    assertThat(rows()).isEqualTo(before);
    assertThat(a.campaigns().get(campaign.id())).contains(campaign);
  }

  @Test
  void recipientsChangeOnlyWhileADraft() {
    TestCampaigns.Tenant a = t.tenant();
    Campaign campaign = a.campaigns().create(CampaignDraft.builder("Offer", a.profileId(), offer()).build());
    a.campaigns().addRecipients(campaign.id(), RecipientSelection.phones(List.of("0501110005")));
    a.campaigns().start(campaign.id());
    assertThatThrownBy(() -> a.campaigns().addRecipients(campaign.id(), RecipientSelection.phones(
        List.of("0501110006")))).isInstanceOf(ConflictException.class).hasMessageContaining("running");
  }
}
