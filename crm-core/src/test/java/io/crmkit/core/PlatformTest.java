package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Entitlements;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.platform.Organization;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.OrganizationRef;
import io.crmkit.core.platform.OrganizationUpdate;
import io.crmkit.core.platform.Plan;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.platform.SubscriptionStatus;
import io.crmkit.core.users.Role;
import io.crmkit.testdb.MutableClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PlatformTest {
  private static final Instant NOW = Instant.parse("2026-05-01T08:00:00Z");
  private static TestCrm t;

  @BeforeAll
  static void setUp() {
    t = TestCrm.start(8, b -> b.clock(new MutableClock(NOW)));
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private static OrganizationDraft.Builder draft(String slug) {
    return OrganizationDraft.builder().name("Acme " + slug).slug(slug).defaultRegion("SA").admin("owner@" + slug + ".example");
  }

  @Test
  void provisioningGivesATrialAnAdminAndTheSeedsDefaults() {
    ProvisionedOrganization p = t.crm.platform().provision(draft("Acme-Trading").plan("lite")
        .timeZone(ZoneId.of("Asia/Riyadh")).build());
    Organization org = p.organization();
    assertThat(org.slug()).isEqualTo("acme-trading");
    assertThat(org.planSlug()).isEqualTo("lite");
    assertThat(org.status()).isEqualTo(SubscriptionStatus.TRIALING);
    assertThat(org.trialEndsAt()).hasValue(NOW.plus(Duration.ofDays(14)));
    assertThat(org.defaultLanguage()).isEqualTo("ar");
    assertThat(org.defaultRegion()).isEqualTo("SA");
    assertThat(org.timeZone()).isEqualTo(ZoneId.of("Asia/Riyadh"));
    assertThat(p.admin().role()).isEqualTo(Role.ADMIN);
    assertThat(t.adminScope(p).organization().get()).isEqualTo(org);
  }

  @Test
  void badDraftsAreRefusedNamingTheFieldAndCreateNothing() throws SQLException {
    long before = organizations();
    assertThatThrownBy(() -> OrganizationDraft.builder().name("X").slug("x").admin("a@x.example").build())
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("defaultRegion");
    assertThatThrownBy(() -> t.crm.platform().provision(draft("r1").defaultRegion("XX").build()))
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("defaultRegion");
    assertThatThrownBy(() -> t.crm.platform().provision(draft("r2").timeZone(ZoneOffset.ofHours(3)).build()))
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("timeZone");
    assertThatThrownBy(() -> t.crm.platform().provision(draft("-bad-").build()))
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("slug");
    assertThatThrownBy(() -> t.crm.platform().provision(draft("r3").defaultLanguage("Arabic").build()))
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("defaultLanguage");
    assertThatThrownBy(() -> t.crm.platform().provision(draft("r4").plan("platinum").build()))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("platinum");
    assertThatThrownBy(() -> t.crm.platform().provision(draft("r5").admin("nobody").build()))
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("adminEmail");
    assertThat(organizations()).isEqualTo(before);
  }

  @Test
  void aTakenSlugConflictsNamingItsOrganization() {
    ProvisionedOrganization first = t.crm.platform().provision(draft("taken").build());
    assertThatThrownBy(() -> t.crm.platform().provision(draft("TAKEN").build()))
        .isInstanceOf(ConflictException.class)
        .satisfies(e -> assertThat(((ConflictException) e).existingId()).hasValue(first.organization().id()));
  }

  @Test
  void findBySlugRoutesWithoutATenant() {
    ProvisionedOrganization p = t.crm.platform().provision(draft("routed").build());
    assertThat(t.crm.platform().findBySlug(" Routed ")).hasValue(new OrganizationRef(p.organization().id(), "Acme routed"));
    assertThat(t.crm.platform().findBySlug("missing")).isEmpty();
  }

  @Test
  void theCatalogHasTheSeedsFivePlans() {
    List<Plan> plans = t.crm.platform().plans();
    assertThat(plans).extracting(Plan::slug).containsExactly("free", "lite", "professional", "business", "enterprise");
    Plan free = plans.get(0);
    assertThat(free.limit(Limit.USERS)).hasValue(3);
    assertThat(free.limit(Limit.WHATSAPP_PROFILES)).hasValue(1);
    assertThat(free.priceMonthlyMinor()).hasValue(0);
    assertThat(free.features()).contains("crm").doesNotContain("ticketing", "api");
    assertThat(plans.get(1).priceMonthlyMinor()).hasValue(2900);
    assertThat(plans.get(2).features()).contains("bulk_sender").doesNotContain("api");
    assertThat(plans.get(3).features()).contains("api");
    Plan enterprise = plans.get(4);
    assertThat(enterprise.limits().values()).allMatch(OptionalLong::isEmpty);
    assertThat(enterprise.priceMonthlyMinor()).isEmpty();
    assertThat(enterprise.features()).contains("white_label");
  }

  @Test
  void entitlementsFollowThePlanAndCustomLimitsWin() {
    ProvisionedOrganization p = t.crm.platform().provision(draft("entitled").plan("free").build());
    Entitlements entitlements = t.adminScope(p).entitlements();
    assertThat(entitlements.plan().slug()).isEqualTo("free");
    assertThat(entitlements.limit(Limit.CUSTOMERS)).hasValue(100);
    assertThat(entitlements.hasFeature("ticketing")).isFalse();
    assertThat(entitlements.hasFeature("no_such_feature")).isFalse();
    assertThatThrownBy(() -> entitlements.requireFeature("ticketing", "tickets.open"))
        .isInstanceOfSatisfying(io.crmkit.core.exception.FeatureNotInPlanException.class, e -> {
          assertThat(e.feature()).isEqualTo("ticketing");
          assertThat(e.planSlug()).isEqualTo("free");
          assertThat(e.operation()).isEqualTo("tickets.open");
        });

    t.crm.platform().changePlan(p.organization().id(), "professional");
    assertThat(entitlements.limit(Limit.CUSTOMERS)).hasValue(10000);
    assertThat(entitlements.hasFeature("ticketing")).isTrue();
    entitlements.requireFeature("ticketing", "tickets.open");

    t.crm.platform().setCustomLimit(p.organization().id(), Limit.CUSTOMERS, OptionalLong.of(250_000));
    t.crm.platform().setCustomLimit(p.organization().id(), Limit.USERS, OptionalLong.empty());
    Map<Limit, OptionalLong> limits = entitlements.limits();
    assertThat(limits).hasSize(Limit.values().length);
    assertThat(limits.get(Limit.CUSTOMERS)).hasValue(250_000);
    assertThat(limits.get(Limit.USERS)).as("a custom null is unlimited").isEmpty();
    assertThat(limits.get(Limit.MESSAGES_PER_DAY)).hasValue(5000);

    t.crm.platform().clearCustomLimit(p.organization().id(), Limit.USERS);
    assertThat(entitlements.limit(Limit.USERS)).hasValue(50);
    assertThatThrownBy(() -> t.crm.platform().setCustomLimit(p.organization().id(), Limit.USERS, OptionalLong.of(-1)))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> t.crm.platform().changePlan(p.organization().id(), "nope"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void theSqlFunctionsRefuseMissingOrganizationsAndUnknownLimits() throws SQLException {
    ProvisionedOrganization p = t.crm.platform().provision(draft("sqlfn").plan("professional").build());
    try (Connection c = t.admin().getConnection(); Statement s = c.createStatement()) {
      s.execute("set role crm_owner");
      assertThatThrownBy(() -> s.executeQuery("select * from crm.get_organization_limits(gen_random_uuid())"))
          .isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("P0002");
      assertThatThrownBy(() -> s.executeQuery("select crm.organization_limit('" + p.organization().id() + "', 'max_bogus')"))
          .isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22023");
      var rs = s.executeQuery("select crm.organization_limit('" + p.organization().id() + "', 'max_users'),"
          + " crm.organization_has_feature('" + p.organization().id() + "', 'bulk_sender')");
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(50);
      assertThat(rs.getBoolean(2)).isTrue();
      // Custom limits accept only known limits with whole, non-negative numbers or null.
      assertThatThrownBy(() -> s.executeUpdate("update crm.organizations set custom_limits = '{\"max_userz\": 5}'"
          + " where id = '" + p.organization().id() + "'"))
          .isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("23514");
      assertThatThrownBy(() -> s.executeUpdate("update crm.organizations set custom_limits = '{\"max_users\": 2.5}'"
          + " where id = '" + p.organization().id() + "'"))
          .isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("23514");
    }
  }

  @Test
  void settingsUpdateOnlyWhatIsSetAndValidateTheTimeZone() {
    ProvisionedOrganization p = t.crm.platform().provision(draft("settings").build());
    TenantScope admin = t.adminScope(p);
    Organization updated = admin.organization().update(OrganizationUpdate.builder()
        .timeZone(ZoneId.of("Asia/Dubai")).settings(Map.of("greeting", "مرحبا", "nested", Map.of("a", 1))).build());
    assertThat(updated.timeZone()).isEqualTo(ZoneId.of("Asia/Dubai"));
    assertThat(updated.name()).isEqualTo("Acme settings");
    assertThat(updated.settings()).containsEntry("greeting", "مرحبا").containsEntry("nested", Map.of("a", 1));
    assertThatThrownBy(() -> updated.settings().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> admin.organization().update(OrganizationUpdate.builder().name(" ").build()))
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("name");
    assertThatThrownBy(() -> admin.organization().update(OrganizationUpdate.builder()
        .name("Never").timeZone(ZoneOffset.ofHours(4)).build()))
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("timeZone");
    assertThat(admin.organization().get()).as("a refused update changes nothing").isEqualTo(updated);
    java.util.Map<String, Object> nested = new java.util.HashMap<>();
    nested.put("a", null);
    assertThatThrownBy(() -> OrganizationUpdate.builder().settings(Map.of("outer", nested)))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("settings.outer.a");

    assertThat(admin.organization().update(OrganizationUpdate.builder().domain("acme.example").build()).domain())
        .contains("acme.example");
    Organization cleared = admin.organization().update(OrganizationUpdate.builder().clearDomain().build());
    assertThat(cleared.domain()).as("cleared").isEmpty();
    assertThat(cleared.timeZone()).as("kept").isEqualTo(ZoneId.of("Asia/Dubai"));
    assertThatThrownBy(() -> new OrganizationUpdate(Change.clear(), Change.keep(), Change.keep(), Change.keep(),
        Change.keep())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name cannot be cleared");
  }

  @Test
  void jsonNullsInSettingsNeverReachTheApiAsNull() {
    ProvisionedOrganization p = t.crm.platform().provision(draft("jsonnull").build());
    t.executeAsAdmin("update crm.organizations set settings = '{\"gone\": null, \"list\": [1, null, 2],"
        + " \"kept\": {\"x\": null, \"y\": true}}' where id = '" + p.organization().id() + "'");
    Map<String, Object> settings = t.adminScope(p).organization().get().settings();
    assertThat(settings).doesNotContainKey("gone").containsEntry("list", List.of(1, 2))
        .containsEntry("kept", Map.of("y", true));
  }

  private static long organizations() throws SQLException {
    return Long.parseLong(MigrationTest.query(t.admin(), "select count(*) from crm.organizations").get(0));
  }
}
