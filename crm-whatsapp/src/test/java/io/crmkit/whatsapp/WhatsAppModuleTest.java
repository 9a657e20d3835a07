package io.crmkit.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How a host wires crm-whatsapp: one Crm with the module configured, services from the scope and the Crm. */
class WhatsAppModuleTest {
  private static final FakeWhatsAppGateway FAKE = new FakeWhatsAppGateway();
  private static TestWhatsApp t;

  @BeforeAll
  static void setUp() {
    t = TestWhatsApp.start(WhatsAppModule.builder().sessionKeys(TestWhatsApp.KEYS).gateway(FAKE).verifyToken("v")
        .app("111", "s111").build());
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private static WhatsAppProfileDraft waiting(String phoneNumberId) {
    return WhatsAppProfileDraft.builder().name("Sales").phoneNumber("+966500000001").phoneNumberId(phoneNumberId)
        .metaAppId("111").build();
  }

  @Test
  void aCrmWithCrmWhatsappOnTheClassPathButNotConfiguredRefusesToBuildNamingTheSetting() {
    assertThatThrownBy(() -> Crm.builder().dataSource(t.db.runtimeDataSource()).build())
        .as("found by ServiceLoader, without settings").isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("crm-whatsapp needs session keys")
        .hasMessageContaining("WhatsAppModule.builder().sessionKeys(");
  }

  @Test
  void aModuleMissingASettingIsRefusedWhenBuiltNamingIt() {
    assertThatThrownBy(() -> WhatsAppModule.builder().gateway(FAKE).build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sessionKeys(");
    assertThatThrownBy(() -> WhatsAppModule.builder().sessionKeys(TestWhatsApp.KEYS).verifyToken("v").build())
        .as("a webhook without an app").isInstanceOf(IllegalStateException.class).hasMessageContaining("app(");
    assertThatThrownBy(() -> WhatsAppModule.builder().sessionKeys(TestWhatsApp.KEYS).app("111", "s111").build())
        .as("a webhook without its handshake token").isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("verifyToken(");
    assertThatThrownBy(() -> WhatsAppModule.builder().app("app-1", "s")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metaAppId");
    assertThat(WhatsAppModule.builder().sessionKeys(TestWhatsApp.KEYS).verifyToken("secret-token").app("111", "s111")
        .build().toString()).doesNotContain("secret-token", "s111");
  }

  @Test
  void tenantServicesComeFromTheScopeAndJoinTheTransactionOfTheCallback() {
    ProvisionedOrganization org = t.provision();
    TenantScope admin = t.admin(org);
    WhatsAppProfile profile = admin.service(WhatsAppProfiles.class).create(waiting("800000000000001"));

    assertThatThrownBy(() -> admin.inTransaction(tx -> {
      tx.service(WhatsAppProfiles.class).rename(profile.id(), "Renamed");
      assertThat(tx.service(WhatsAppProfiles.class).get(profile.id())).get().extracting(WhatsAppProfile::name)
          .as("seen in the callback's transaction").isEqualTo("Renamed");
      assertThat(tx.service(WhatsAppInbox.class).conversations(ConversationQuery.all(), 10, Optional.empty()).items())
          .isEmpty();
      throw new IllegalStateException("the host rolls back");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(admin.service(WhatsAppProfiles.class).get(profile.id())).get().extracting(WhatsAppProfile::name)
        .as("the rename went with the callback's rollback").isEqualTo("Sales");

    assertThatThrownBy(() -> t.crm.service(WhatsAppInbox.class)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scope.service");
  }

  @Test
  void servicesAcrossTenantsAndJobsComeFromTheCrm() {
    assertThat(t.crm.service(WhatsAppWebhook.class).verify("subscribe", "v", "42"))
        .isEqualTo(new WhatsAppWebhook.Response(200, "42"));
    assertThat(t.crm.service(WhatsAppOutbox.class).drain(10, e -> { })).isGreaterThanOrEqualTo(0);
    assertThat(t.crm.service(WhatsAppJobs.class).resumeStalledReplies(WhatsAppJobs.MIN_STALL, 10)).isZero();
    assertThatThrownBy(() -> t.crm.service(WhatsAppJobs.class).fetchPendingMedia(10))
        .as("no media store configured").isInstanceOf(IllegalStateException.class).hasMessageContaining("mediaStore(");
    assertThatThrownBy(() -> t.admin(t.provision()).service(WhatsAppJobs.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("crm.service");
  }

  @Test
  void aModuleConfiguredWithoutAWebhookRefusesToHandOneOutNamingTheSettings() {
    Crm sender = t.crm(WhatsAppModule.builder().sessionKeys(TestWhatsApp.KEYS).gateway(FAKE).build());
    assertThatThrownBy(() -> sender.service(WhatsAppWebhook.class)).as("when the host wires it, not at a delivery")
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("verifyToken(").hasMessageContaining("app(");
    assertThat(sender.service(WhatsAppOutbox.class)).as("the rest of the module works").isNotNull();
  }
}
