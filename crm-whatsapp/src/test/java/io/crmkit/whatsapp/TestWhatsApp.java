package io.crmkit.whatsapp;

import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.testdb.Jdbc;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh database with core and crm-whatsapp migrated by a Crm built as a host builds one, with
 * crm-whatsapp configured; a test that needs crm-whatsapp configured otherwise too (another
 * gateway, other keys) gets a second Crm on the same database.
 */
final class TestWhatsApp implements AutoCloseable {
  /** The session keys the tests' modules share, so every Crm of a test reads the others' sessions. */
  static final SessionKeys KEYS = SessionKeys.of("k", Map.of("k", new byte[32]));
  final TestDatabase db;
  final Crm crm;
  private final List<Crm> others = new ArrayList<>();

  private TestWhatsApp(TestDatabase db, Crm crm) {
    this.db = db;
    this.crm = crm;
  }

  /** A Crm with crm-whatsapp configured as {@code module}, on a fresh database it migrated. */
  static TestWhatsApp start(WhatsAppModule module) {
    TestDatabase db = TestPostgres.shared().createDatabase();
    Crm crm = Crm.builder().dataSource(db.runtimeDataSource()).migrationDataSource(db.adminDataSource())
        .module(module).build();
    crm.migrate();
    return new TestWhatsApp(db, crm);
  }

  /** A Crm with crm-whatsapp configured with {@link #KEYS} and a fake gateway, on a fresh database. */
  static TestWhatsApp start() {
    return start(WhatsAppModule.builder().sessionKeys(KEYS).gateway(new FakeWhatsAppGateway()).build());
  }

  /** Another Crm on the same database, with crm-whatsapp configured as {@code module}; closed with this. */
  Crm crm(WhatsAppModule module) {
    Crm other = Crm.builder().dataSource(db.runtimeDataSource()).migrationDataSource(db.adminDataSource())
        .module(module).build();
    others.add(other);
    return other;
  }

  ProvisionedOrganization provision() {
    String slug = "org-" + UUID.randomUUID().toString().substring(0, 8);
    return crm.platform().provision(OrganizationDraft.builder().name(slug).slug(slug).plan("professional")
        .defaultRegion("SA").admin("admin@" + slug + ".example").build());
  }

  TenantScope admin(ProvisionedOrganization org) {
    return admin(crm, org);
  }

  /** The organization's admin, on {@code crm}. */
  static TenantScope admin(Crm crm, ProvisionedOrganization org) {
    return crm.tenant(org.organization().id()).as(org.admin().id());
  }

  /** A runtime-role connection in a transaction with the tenant set ({@code null}: no tenant). */
  Connection tenant(UUID organizationId) throws SQLException {
    Connection c = db.runtimeDataSource().getConnection();
    c.setAutoCommit(false);
    if (organizationId != null) {
      try (PreparedStatement ps = c.prepareStatement("select set_config('app.current_organization_id', ?, true)")) {
        ps.setString(1, organizationId.toString());
        ps.execute();
      }
    }
    return c;
  }

  /** The rows of a query as text (see {@link Jdbc#rows}). */
  static List<String> rows(Connection c, String sql, Object... parameters) throws SQLException {
    return Jdbc.rows(c, sql, parameters);
  }

  /**
   * Inserts a proven profile (as if a token had been shown to work for the number; its stored
   * session is a placeholder that decrypts under no key) as the runtime role in the tenant's
   * transaction and commits; returns its id.
   */
  UUID profile(UUID organizationId, String phoneNumberId, String metaAppId) throws SQLException {
    try (Connection c = tenant(organizationId)) {
      UUID id = UUID.fromString(rows(c, "insert into crm.whatsapp_profiles (organization_id, name, phone_number,"
          + " phone_number_id, meta_app_id, session_key_id, session_nonce, session_ciphertext, verified_at)"
          + " values (?, 'Sales', '+966500000001', ?, ?, 'placeholder', '\\x000000000000000000000000', '\\x00',"
          + " clock_timestamp()) returning id", organizationId, phoneNumberId, metaAppId).get(0));
      c.commit();
      return id;
    }
  }

  @Override
  public void close() {
    others.forEach(Crm::close);
    crm.close();
    db.close();
  }
}
