package io.crmkit.whatsapp;

import static io.crmkit.whatsapp.TestWhatsApp.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.ModuleMigrations;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.testdb.TenancyCatalog;
import io.crmkit.testdb.TestPostgres;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * crm-whatsapp's tables under the foundation's rules, read from the catalog, and the webhook's one
 * cross-tenant path attacked as the runtime role with plain JDBC.
 */
class WhatsAppSchemaTest {
  private static final List<String> TENANT_TABLES = List.of("conversations", "messages", "whatsapp_contacts",
      "whatsapp_early_statuses", "whatsapp_events", "whatsapp_profiles");
  private static TestWhatsApp t;

  @BeforeAll
  static void setUp() {
    t = TestWhatsApp.start();
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private static List<String> admin(String sql) throws SQLException {
    try (Connection c = t.db.adminDataSource().getConnection()) {
      return rows(c, sql);
    }
  }

  @Test
  void theModuleMigratesAfterCoreWithItsOwnHistory() throws SQLException {
    assertThat(t.crm.migrations()).extracting(ModuleMigrations::module).containsExactly("core", "whatsapp");
    assertThat(admin("select version from crm.flyway_history_whatsapp order by installed_rank"))
        .containsExactly("0", "1", "2", "3", "4", "5", "6");
  }

  @Test
  void everyTenantTableHasRlsTheOnePolicyAndTheTenantInEveryKey() throws SQLException {
    assertThat(admin("select c.relname from pg_class c join pg_attribute a on a.attrelid = c.oid"
        + " where c.relnamespace = 'crm'::regnamespace and c.relkind = 'r' and a.attname = 'organization_id'"
        + " and c.relname in ('conversations', 'messages', 'whatsapp_contacts', 'whatsapp_early_statuses',"
        + " 'whatsapp_events', 'whatsapp_profiles', 'whatsapp_routes')"
        + " and c.relrowsecurity order by 1")).as("RLS on, routes excepted").containsExactlyElementsOf(TENANT_TABLES);
    assertThat(admin("select tablename || ' ' || qual || ' ' || with_check from pg_policies where schemaname = 'crm'"
        + " and tablename in ('conversations', 'messages', 'whatsapp_contacts', 'whatsapp_early_statuses',"
        + " 'whatsapp_events', 'whatsapp_profiles') order by 1")).hasSize(6).allSatisfy(p -> assertThat(p).endsWith(
            "(organization_id = ( SELECT crm.current_organization_id() AS current_organization_id))"
            + " (organization_id = ( SELECT crm.current_organization_id() AS current_organization_id))"));
    assertThat(admin("select i.indexrelid::regclass::text from pg_index i join pg_class c on c.oid = i.indrelid"
        + " where c.relnamespace = 'crm'::regnamespace and (i.indisunique or i.indisprimary)"
        + " and c.relname in ('conversations', 'messages', 'whatsapp_contacts', 'whatsapp_early_statuses',"
        + " 'whatsapp_events', 'whatsapp_profiles') and not exists (select 1 from unnest(i.indkey) k join pg_attribute a on a.attrelid = c.oid"
        + " and a.attnum = k where a.attname = 'organization_id')"))
        .as("unique indexes without organization_id").isEmpty();
    assertThat(admin("select conrelid::regclass::text || ' ' || conname from pg_constraint where contype = 'f'"
        + " and connamespace = 'crm'::regnamespace and conrelid::regclass::text in ('crm.conversations', 'crm.messages',"
        + " 'crm.whatsapp_contacts', 'crm.whatsapp_events', 'crm.whatsapp_profiles') and confrelid <> 'crm.organizations'::regclass"
        + " and not (select bool_or(a.attname = 'organization_id') from unnest(conkey) k"
        + " join pg_attribute a on a.attrelid = conrelid and a.attnum = k)"))
        .as("foreign keys between tenant tables that do not carry the tenant").isEmpty();
    assertThat(admin("select count(*) from pg_class where relnamespace = 'crm'::regnamespace"
        + " and pg_get_userbyid(relowner) = 'crm_app'")).containsExactly("0");
  }

  @Test
  void theRuntimeRoleCannotTouchTheRoutingTable() throws SQLException {
    assertThat(admin("select has_table_privilege('crm_app', 'crm.whatsapp_routes', 'SELECT, INSERT, UPDATE, DELETE,"
        + " TRUNCATE, REFERENCES')")).containsExactly("f");
    ProvisionedOrganization org = t.provision();
    try (Connection c = t.tenant(org.organization().id())) {
      assertThatThrownBy(() -> rows(c, "select * from crm.whatsapp_routes")).isInstanceOf(PSQLException.class)
          .extracting(e -> ((PSQLException) e).getSQLState()).isEqualTo("42501");
    }
  }

  @Test
  void aWebhookIsRoutedOnlyByTheNumberAndTheAppThatServesIt() throws SQLException {
    ProvisionedOrganization a = t.provision();
    UUID profile = t.profile(a.organization().id(), "100000000000001", "111");
    try (Connection c = t.tenant(null)) {
      assertThat(rows(c, "select * from crm.route_whatsapp_webhook('100000000000001', '111')"))
          .as("no tenant is needed: this is how a webhook finds its tenant")
          .containsExactly(a.organization().id() + " " + profile);
      assertThat(rows(c, "select * from crm.route_whatsapp_webhook('100000000000001', '222')"))
          .as("another Meta app's delivery").isEmpty();
      assertThat(rows(c, "select * from crm.route_whatsapp_webhook('199999999999999', '111')")).isEmpty();
    }
  }

  @Test
  void anUnverifiedProfileIsNotRouted() throws SQLException {
    ProvisionedOrganization a = t.provision();
    String profile;
    try (Connection c = t.tenant(a.organization().id())) {
      profile = rows(c, "insert into crm.whatsapp_profiles (organization_id, name, phone_number, phone_number_id,"
          + " meta_app_id) values (?, 'Typed in', '+966500000001', '100000000000004', '111') returning id",
          a.organization().id()).get(0);
      c.commit();
    }
    try (Connection c = t.tenant(null)) {
      assertThat(rows(c, "select * from crm.route_whatsapp_webhook('100000000000004', '111')")).isEmpty();
    }
    try (Connection c = t.tenant(a.organization().id())) {
      assertThatThrownBy(() -> rows(c, "update crm.whatsapp_profiles set verified_at = now() where id = ?::uuid"
          + " returning id", profile)).as("a proof stands on a session").isInstanceOf(PSQLException.class)
          .extracting(e -> ((PSQLException) e).getSQLState()).isEqualTo("23514");
    }
    try (Connection c = t.tenant(a.organization().id())) {
      rows(c, "update crm.whatsapp_profiles set verified_at = now(), session_key_id = 'k',"
          + " session_nonce = '\\x000000000000000000000000', session_ciphertext = '\\x00' where id = ?::uuid returning id",
          profile);
      c.commit();
    }
    try (Connection c = t.tenant(null)) {
      assertThat(rows(c, "select * from crm.route_whatsapp_webhook('100000000000004', '111')"))
          .containsExactly(a.organization().id() + " " + profile);
    }
  }

  @Test
  void aNumberProvenInOneTenantCannotBeRoutedToAnotherUntilItsRouteIsReleased() throws SQLException {
    ProvisionedOrganization a = t.provision();
    ProvisionedOrganization b = t.provision();
    UUID profileA = t.profile(a.organization().id(), "100000000000002", "111");

    assertThatThrownBy(() -> t.profile(b.organization().id(), "100000000000002", "111"))
        .isInstanceOfSatisfying(PSQLException.class, e -> {
          assertThat(e.getSQLState()).isEqualTo("CKW01");
          assertThat(e.getServerErrorMessage().getMessage()).isEqualTo(
              "WhatsApp phone number id 100000000000002 is routed to another profile");
        });
    try (Connection c = t.tenant(b.organization().id())) {
      assertThat(rows(c, "select count(*) from crm.whatsapp_profiles")).as("B's attempt left nothing").containsExactly("0");
    }

    try (Connection c = t.tenant(a.organization().id())) {
      rows(c, "update crm.whatsapp_profiles set is_active = false, verified_at = null where id = ? returning id", profileA);
      c.commit();
    }
    UUID profileB = t.profile(b.organization().id(), "100000000000002", "111");
    try (Connection c = t.tenant(null)) {
      assertThat(rows(c, "select * from crm.route_whatsapp_webhook('100000000000002', '111')"))
          .containsExactly(b.organization().id() + " " + profileB);
    }
    try (Connection c = t.tenant(a.organization().id())) {
      assertThatThrownBy(() -> rows(c, "update crm.whatsapp_profiles set is_active = true, verified_at = clock_timestamp()"
          + " where id = ? returning id", profileA)).as("A cannot take it back while B holds it")
          .isInstanceOf(PSQLException.class).extracting(e -> ((PSQLException) e).getSQLState()).isEqualTo("CKW01");
    }
  }

  @Test
  void aProofNeedsAnActiveProfileWithASessionAndARefreshedProofRestampsTheRoute() throws SQLException {
    ProvisionedOrganization a = t.provision();
    UUID profile = t.profile(a.organization().id(), "100000000000005", "111");
    try (Connection c = t.tenant(a.organization().id())) {
      assertThatThrownBy(() -> rows(c, "update crm.whatsapp_profiles set is_active = false where id = ? returning id",
          profile)).as("deactivating without clearing the proof").isInstanceOf(PSQLException.class)
          .extracting(e -> ((PSQLException) e).getSQLState()).isEqualTo("23514");
    }
    try (Connection c = t.tenant(a.organization().id())) {
      rows(c, "update crm.whatsapp_profiles set verified_at = '2030-01-01' where id = ? returning id", profile);
      c.commit();
    }
    assertThat(admin("select proven_at = '2030-01-01' from crm.whatsapp_routes where profile_id = '" + profile + "'"))
        .as("the route stands on the latest proof").containsExactly("t");
  }

  @Test
  void theRouteHolderIsNamedOnlyOutsideAnyTenant() throws SQLException {
    ProvisionedOrganization a = t.provision();
    UUID profile = t.profile(a.organization().id(), "100000000000006", "111");
    try (Connection c = t.tenant(a.organization().id())) {
      assertThatThrownBy(() -> rows(c, "select * from crm.whatsapp_route_holder('100000000000006')"))
          .isInstanceOf(PSQLException.class).extracting(e -> ((PSQLException) e).getSQLState()).isEqualTo("42501");
    }
    try (Connection c = t.tenant(null)) {
      assertThat(rows(c, "select organization_id || ' ' || profile_id from crm.whatsapp_route_holder('100000000000006')"))
          .containsExactly(a.organization().id() + " " + profile);
      assertThat(rows(c, "select * from crm.whatsapp_route_holder('10000000000000')")).as("exact ids only").isEmpty();
    }
  }

  @Test
  void aRouteIsReleasedOnlyInsideAnotherTenantAndOnlyAsItWasChecked() throws SQLException {
    ProvisionedOrganization a = t.provision();
    ProvisionedOrganization b = t.provision();
    UUID profile = t.profile(a.organization().id(), "100000000000007", "111");
    String proof = admin("select proven_at::text from crm.whatsapp_routes where profile_id = '" + profile + "'").get(0);
    String release = "select crm.release_whatsapp_route('100000000000007', ?::uuid, ?::uuid, ?::timestamptz)::text";
    try (Connection c = t.tenant(null)) {
      assertThatThrownBy(() -> rows(c, release, a.organization().id(), profile, proof)).as("without a tenant")
          .isInstanceOf(PSQLException.class).extracting(e -> ((PSQLException) e).getSQLState()).isEqualTo("42501");
    }
    try (Connection c = t.tenant(a.organization().id())) {
      assertThatThrownBy(() -> rows(c, release, a.organization().id(), profile, proof)).as("by the holder itself")
          .isInstanceOf(PSQLException.class).extracting(e -> ((PSQLException) e).getSQLState()).isEqualTo("42501");
    }
    try (Connection c = t.tenant(b.organization().id())) {
      assertThat(rows(c, release, a.organization().id(), profile, "2001-01-01")).as("another proof").containsExactly("false");
      assertThat(rows(c, release, UUID.randomUUID(), profile, proof)).as("another holder").containsExactly("false");
      c.rollback();
    }
    assertThat(admin("select count(*) from crm.whatsapp_routes where profile_id = '" + profile + "'")).containsExactly("1");
    try (Connection c = t.tenant(b.organization().id())) {
      assertThat(rows(c, release, a.organization().id(), profile, proof)).containsExactly("true");
      c.rollback();
    }
    assertThat(admin("select count(*) from crm.whatsapp_routes where profile_id = '" + profile + "'"))
        .as("released only with the transaction that takes the number").containsExactly("1");
  }

  @Test
  void noRuntimeRoleGrantLetsATenantRowsOrganizationIdBeUpdated() throws SQLException {
    try (Connection c = t.db.adminDataSource().getConnection()) {
      assertThat(TenancyCatalog.tablesWhoseTenantRoleMayUpdate(c, "crm", TestPostgres.RUNTIME_ROLE)).isEmpty();
    }
  }

  @Test
  void withoutATenantNothingIsSeenOrWrittenAndNeverAnotherTenantsRows() throws SQLException {
    ProvisionedOrganization a = t.provision();
    ProvisionedOrganization b = t.provision();
    UUID profileA = t.profile(a.organization().id(), "100000000000003", "111");
    try (Connection c = t.tenant(null)) {
      assertThat(rows(c, "select count(*) from crm.whatsapp_profiles")).containsExactly("0");
      assertThatThrownBy(() -> rows(c, "insert into crm.whatsapp_profiles (organization_id, name, phone_number,"
          + " phone_number_id, meta_app_id) values (?, 'X', '+966500000009', '100000000000009', '111') returning id",
          a.organization().id())).isInstanceOf(PSQLException.class)
          .extracting(e -> ((PSQLException) e).getSQLState()).isEqualTo("42501");
    }
    try (Connection c = t.tenant(b.organization().id())) {
      assertThat(rows(c, "select count(*) from crm.whatsapp_profiles where id = ?", profileA)).containsExactly("0");
      assertThat(rows(c, "update crm.whatsapp_profiles set name = 'taken' where id = ? returning id", profileA)).isEmpty();
      assertThatThrownBy(() -> rows(c, "insert into crm.whatsapp_contacts (organization_id, profile_id, wa_phone)"
          + " values (?, ?, '+966500000010') returning id", b.organization().id(), profileA))
          .as("B's row cannot point at A's profile").isInstanceOf(PSQLException.class)
          .extracting(e -> ((PSQLException) e).getSQLState()).isEqualTo("23503");
    }
  }

  @Test
  void theJobsCrossTenantPathsRefuseToRunInsideATenant() throws SQLException {
    ProvisionedOrganization org = t.provision();
    for (String call : List.of("select * from crm.claim_whatsapp_media(10, '10 minutes', gen_random_uuid())",
        "select * from crm.claim_whatsapp_event_runs(10, gen_random_uuid())",
        "select * from crm.whatsapp_stalled_sends('1 hour', 10)")) {
      try (Connection c = t.tenant(org.organization().id())) {
        assertThatThrownBy(() -> rows(c, call)).as(call).isInstanceOf(PSQLException.class)
            .extracting(e -> ((PSQLException) e).getSQLState()).isEqualTo("42501");
      }
    }
  }

  @Test
  void anAckAcknowledgesOnlyEventsClaimedUnderTheCallersOwnToken() throws SQLException {
    ProvisionedOrganization a = t.provision();
    UUID org = a.organization().id();
    UUID profile = t.profile(org, "100000000000008", "111");
    String event;
    try (Connection c = t.tenant(org)) {
      String contact = rows(c, "insert into crm.whatsapp_contacts (organization_id, profile_id, wa_phone)"
          + " values (?, ?, '+966500000011') returning id", org, profile).get(0);
      String conversation = rows(c, "insert into crm.conversations (organization_id, profile_id, contact_id)"
          + " values (?, ?, ?::uuid) returning id", org, profile, contact).get(0);
      event = rows(c, "insert into crm.whatsapp_events (organization_id, profile_id, conversation_id, seq, event_type,"
          + " payload) values (?, ?, ?::uuid, 1, 'message_received', '{}') returning id", org, profile, conversation)
          .get(0);
      c.commit();
    }
    String ack = "select crm.ack_whatsapp_events(?::uuid, array[?::uuid], array[?::uuid], true)";
    try (Connection c = t.tenant(null)) {
      assertThat(rows(c, ack, UUID.randomUUID(), org, event)).as("an event nobody claimed").containsExactly("0");
      c.commit();
    }
    try (Connection c = t.tenant(null)) {
      UUID mine = UUID.randomUUID();
      assertThat(rows(c, "select id from crm.claim_whatsapp_event_runs(1000, ?)", mine)).contains(event);
      assertThat(rows(c, ack, UUID.randomUUID(), org, event)).as("under another token").containsExactly("0");
      assertThat(rows(c, ack, null, org, event)).as("under no token").containsExactly("0");
      assertThat(rows(c, ack, mine, org, event)).as("under the claim's own token").containsExactly("1");
      assertThat(rows(c, ack, mine, org, event)).as("once").containsExactly("0");
      c.rollback();
    }
    try (Connection c = t.tenant(null)) {
      assertThatThrownBy(() -> rows(c, "select * from crm.claim_whatsapp_event_runs(10, null)"))
          .isInstanceOf(PSQLException.class).extracting(e -> ((PSQLException) e).getSQLState()).isEqualTo("22004");
    }
    try (Connection c = t.tenant(org)) {
      assertThat(rows(c, "select acked_at is null and claim_token is null from crm.whatsapp_events where id = ?::uuid",
          event)).as("nothing acknowledged, nothing left claimed").containsExactly("t");
    }
  }

  @Test
  void theDefinerFunctionsAreTheOwnersPinnedAndNotPublic() throws SQLException {
    assertThat(admin("select p.proname || ' ' || pg_get_userbyid(p.proowner) || ' '"
        + " || array_to_string(p.proconfig, ',') || ' ' || has_function_privilege('public', p.oid, 'EXECUTE')"
        + " from pg_proc p where p.pronamespace = 'crm'::regnamespace and p.prosecdef"
        + " and p.proname like '%whatsapp%' order by 1")).containsExactly(
            "ack_whatsapp_events crm_owner search_path=crm, pg_temp false",
            "claim_whatsapp_event_runs crm_owner search_path=crm, pg_temp false",
            "claim_whatsapp_media crm_owner search_path=crm, pg_temp false",
            "release_whatsapp_route crm_owner search_path=crm, pg_temp false",
            "route_whatsapp_webhook crm_owner search_path=crm, pg_temp false",
            "whatsapp_profiles_sync_route crm_owner search_path=crm, pg_temp false",
            "whatsapp_route_holder crm_owner search_path=crm, pg_temp false",
            "whatsapp_stalled_sends crm_owner search_path=crm, pg_temp false");
  }
}
