package io.crmkit.whatsapp;

import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.testdb.Jdbc;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/** A fresh database with core and crm-whatsapp migrated (found by ServiceLoader, as a host's would be). */
final class TestWhatsApp implements AutoCloseable {
  final TestDatabase db;
  final Crm crm;

  private TestWhatsApp(TestDatabase db, Crm crm) {
    this.db = db;
    this.crm = crm;
  }

  static TestWhatsApp start() {
    TestDatabase db = TestPostgres.shared().createDatabase();
    Crm crm = Crm.builder().dataSource(db.runtimeDataSource()).migrationDataSource(db.adminDataSource()).build();
    crm.migrate();
    return new TestWhatsApp(db, crm);
  }

  ProvisionedOrganization provision() {
    String slug = "org-" + UUID.randomUUID().toString().substring(0, 8);
    return crm.platform().provision(OrganizationDraft.builder().name(slug).slug(slug).plan("professional")
        .defaultRegion("SA").admin("admin@" + slug + ".example").build());
  }

  TenantScope admin(ProvisionedOrganization org) {
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
    crm.close();
    db.close();
  }
}
