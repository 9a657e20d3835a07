package io.crmkit.whatsapp;

import static io.crmkit.whatsapp.TestWhatsApp.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.crmkit.core.Crm;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.CrmException;
import io.crmkit.core.exception.ForbiddenException;
import io.crmkit.core.exception.LimitExceededException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.users.NewMember;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WhatsAppProfilesTest {
  private static final byte[] KEY_1 = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KEY_2 = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
  private static final FakeWhatsAppGateway FAKE = new FakeWhatsAppGateway();
  private static TestWhatsApp t;

  @BeforeAll
  static void setUp() {
    t = TestWhatsApp.start(WhatsAppModule.builder().sessionKeys(SessionKeys.of("k1", Map.of("k1", KEY_1))).gateway(FAKE)
        .build());
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private static WhatsAppProfileDraft draft(String phoneNumberId, String token) {
    WhatsAppProfileDraft.Builder draft = WhatsAppProfileDraft.builder().name("Sales").phoneNumber("+966501234567")
        .phoneNumberId(phoneNumberId).metaAppId("1111");
    return (token == null ? draft : draft.session(token)).build();
  }

  private static List<String> admin(String sql) throws SQLException {
    try (Connection c = t.db.adminDataSource().getConnection()) {
      return rows(c, sql);
    }
  }

  @Test
  void aSessionIsStoredEncryptedAndOnlyItsOwnRowDecryptsIt() throws SQLException {
    ProvisionedOrganization org = t.provision();
    WhatsAppProfiles profiles = t.admin(org).service(WhatsAppProfiles.class);
    WhatsAppProfile a = profiles.create(draft("300000000000001", "EAAG-token-of-a"));
    WhatsAppProfile b = profiles.create(draft("300000000000002", "EAAG-token-of-b"));
    assertThat(a.status()).isEqualTo(ProfileStatus.CONNECTED);
    assertThat(a.hasSession()).isTrue();

    try (Connection c = t.db.adminDataSource().getConnection()) {
      List<String> stored = rows(c, "select session_key_id || ' ' || length(session_nonce) || ' '"
          + " || encode(session_ciphertext, 'escape') from crm.whatsapp_profiles where id = ?", a.id());
      assertThat(stored).singleElement().asString().startsWith("k1 12 ").doesNotContain("EAAG", "token-of-a");
    }
    assertThat(profiles.sender(a.id())).contains(new WhatsAppSender("300000000000001", "EAAG-token-of-a"));

    // A's ciphertext copied into B's row (someone with SQL access) does not decrypt there.
    t.db.executeAsAdmin("update crm.whatsapp_profiles b set session_key_id = a.session_key_id,"
        + " session_nonce = a.session_nonce, session_ciphertext = a.session_ciphertext"
        + " from crm.whatsapp_profiles a where a.id = '" + a.id() + "' and b.id = '" + b.id() + "'");
    assertThatThrownBy(() -> profiles.sender(b.id())).isInstanceOf(CrmException.class)
        .hasMessageContaining("does not decrypt").hasMessageNotContaining("EAAG");
    assertThat(draft("1", "EAAG-secret").toString()).doesNotContain("EAAG");
  }

  @Test
  void rotatingTheKeyReencryptsEverySessionUnderTheNewOne() throws SQLException {
    ProvisionedOrganization org = t.provision();
    WhatsAppProfile p = t.admin(org).service(WhatsAppProfiles.class).create(draft("300000000000003", "EAAG-rotate-me"));
    t.admin(org).service(WhatsAppProfiles.class).create(draft("300000000000004", null));

    Crm rotated = t.crm(WhatsAppModule.builder().sessionKeys(SessionKeys.of("k2", Map.of("k1", KEY_1, "k2", KEY_2)))
        .gateway(FAKE).build());
    WhatsAppProfiles rotatedProfiles = TestWhatsApp.admin(rotated, org).service(WhatsAppProfiles.class);
    assertThat(rotatedProfiles.reencryptSessions()).isEqualTo(1);
    assertThat(rotatedProfiles.reencryptSessions()).as("nothing left on k1").isZero();
    assertThat(admin("select session_key_id from crm.whatsapp_profiles where id = '" + p.id() + "'"))
        .containsExactly("k2");

    Crm onlyNew = t.crm(WhatsAppModule.builder().sessionKeys(SessionKeys.of("k2", Map.of("k2", KEY_2))).gateway(FAKE)
        .build());
    assertThat(TestWhatsApp.admin(onlyNew, org).service(WhatsAppProfiles.class).sender(p.id())).contains(new WhatsAppSender("300000000000003",
        "EAAG-rotate-me"));
    assertThatThrownBy(() -> t.admin(org).service(WhatsAppProfiles.class).sender(p.id())).as("the old keys alone")
        .isInstanceOf(CrmException.class).hasMessageContaining("key k2");
  }

  @Test
  void theProfileLimitHoldsAndDeactivationGivesAUnitBack() {
    ProvisionedOrganization org = t.provision();
    t.crm.platform().setCustomLimit(org.organization().id(), Limit.WHATSAPP_PROFILES, OptionalLong.of(1));
    WhatsAppProfiles profiles = t.admin(org).service(WhatsAppProfiles.class);
    WhatsAppProfile first = profiles.create(draft("300000000000005", "t1"));
    assertThatThrownBy(() -> profiles.create(draft("300000000000006", "t2")))
        .isInstanceOfSatisfying(LimitExceededException.class, e -> assertThat(e.limit()).isEqualTo(Limit.WHATSAPP_PROFILES));

    WhatsAppProfile off = profiles.deactivate(first.id());
    assertThat(off.active()).isFalse();
    assertThat(profiles.sender(first.id())).as("a deactivated profile does not send").isEmpty();
    assertThat(off.status()).isEqualTo(ProfileStatus.DISCONNECTED);
    assertThat(profiles.deactivate(first.id())).as("again: nothing changes, nothing given back twice").isEqualTo(off);
    WhatsAppProfile second = profiles.create(draft("300000000000006", "t2"));
    assertThatThrownBy(() -> profiles.reactivate(first.id())).isInstanceOf(LimitExceededException.class);
    profiles.deactivate(second.id());
    assertThat(profiles.reactivate(first.id()).status()).isEqualTo(ProfileStatus.CONNECTED);
    assertThat(profiles.list()).extracting(WhatsAppProfile::phoneNumberId, WhatsAppProfile::active)
        .containsExactly(tuple("300000000000005", true),
            tuple("300000000000006", false));
  }

  @Test
  void badInputNamesTheFieldAndANumberConnectedElsewhereIsAConflict() throws SQLException {
    ProvisionedOrganization a = t.provision();
    ProvisionedOrganization b = t.provision();
    WhatsAppProfiles profiles = t.admin(a).service(WhatsAppProfiles.class);
    assertThatThrownBy(() -> profiles.create(WhatsAppProfileDraft.builder().name("Sales").phoneNumber("0501234567")
        .phoneNumberId("300000000000007").metaAppId("1").build())).isInstanceOf(ValidationException.class).extracting("field").isEqualTo("phoneNumber");
    assertThatThrownBy(() -> profiles.create(WhatsAppProfileDraft.builder().name(" ").phoneNumber("+966501234567")
        .phoneNumberId("300000000000007").metaAppId("1").build())).isInstanceOf(ValidationException.class).extracting("field").isEqualTo("name");
    assertThatThrownBy(() -> profiles.create(draft("not-digits", null))).isInstanceOf(ValidationException.class)
        .extracting("field").isEqualTo("phoneNumberId");
    assertThatThrownBy(() -> profiles.create(WhatsAppProfileDraft.builder().name("Sales").phoneNumber("+966501234567")
        .phoneNumberId("300000000000007").metaAppId("app-1").build())).isInstanceOf(ValidationException.class)
        .extracting("field").isEqualTo("metaAppId");
    profiles.create(draft("300000000000007", "EAAG-a"));
    assertThatThrownBy(() -> profiles.create(draft("300000000000007", null))).as("twice in one organization")
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> t.admin(b).service(WhatsAppProfiles.class).create(draft("300000000000007", "EAAG-b")))
        .as("verified and connected in another organization").isInstanceOf(ConflictException.class)
        .hasMessageNotContaining(a.organization().id().toString());
    assertThat(t.admin(b).service(WhatsAppProfiles.class).list()).as("nothing left behind").isEmpty();
    assertThat(admin("select count(*) from crm.usage_counters where organization_id = '" + b.organization().id()
        + "' and metric = 'whatsapp_profiles' and value > 0")).as("nor a counted unit").containsExactly("0");
  }

  @Test
  void aNumberIsRoutedOnlyOnceATokenIsShownToWorkForIt() throws SQLException {
    ProvisionedOrganization a = t.provision();
    ProvisionedOrganization b = t.provision();
    FAKE.notOwned("300000000000009");
    assertThatThrownBy(() -> t.admin(b).service(WhatsAppProfiles.class).create(draft("300000000000009", "EAAG-not-for-this-number")))
        .as("B cannot claim a number with a token that cannot use it")
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("session");
    assertThat(t.admin(b).service(WhatsAppProfiles.class).list()).isEmpty();

    WhatsAppProfile waiting = t.admin(a).service(WhatsAppProfiles.class).create(draft("300000000000010", null));
    assertThat(waiting.verified()).isFalse();
    assertThat(admin("select count(*) from crm.whatsapp_routes where phone_number_id = '300000000000010'"))
        .as("typing a number id routes nothing").containsExactly("0");
    WhatsAppProfile connected = t.admin(a).service(WhatsAppProfiles.class).replaceSession(waiting.id(), "EAAG-works");
    assertThat(connected.verified()).isTrue();
    assertThat(connected.status()).isEqualTo(ProfileStatus.CONNECTED);
    assertThat(admin("select organization_id from crm.whatsapp_routes where phone_number_id = '300000000000010'"))
        .containsExactly(a.organization().id().toString());
  }

  @Test
  void onlyAdminsManageAndSeeSessionsWhileMembersRead() {
    ProvisionedOrganization org = t.provision();
    WhatsAppProfile p = t.admin(org).service(WhatsAppProfiles.class).create(draft("300000000000008", "EAAG-x"));
    User agent = t.crm.acceptInvitation(t.admin(org).users().invite("agent@example.com", Role.AGENT).token(),
        NewMember.named("Agent"));
    WhatsAppProfiles asAgent = t.crm.tenant(org.organization().id()).as(agent.id()).service(WhatsAppProfiles.class);
    assertThat(asAgent.get(p.id())).isPresent();
    assertThatThrownBy(() -> asAgent.rename(p.id(), "Mine")).isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> asAgent.sender(p.id())).isInstanceOf(ForbiddenException.class);
    assertThat(t.crm.tenant(org.organization().id()).asSystem("webhook").service(WhatsAppProfiles.class).sender(p.id()))
        .as("the sending job acts as a system actor").isPresent();
    assertThat(t.admin(t.provision()).service(WhatsAppProfiles.class).get(p.id())).as("another tenant").isEmpty();
    assertThat(Arrays.asList(t.admin(org).service(WhatsAppProfiles.class).rename(p.id(), " Support ").name(),
        t.admin(org).service(WhatsAppProfiles.class).setStatus(p.id(), ProfileStatus.QR_REQUIRED).status().name()))
        .containsExactly("Support", "QR_REQUIRED");
  }
}
