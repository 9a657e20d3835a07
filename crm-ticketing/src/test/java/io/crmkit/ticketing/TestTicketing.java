package io.crmkit.ticketing;

import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.spi.CrmModule;
import io.crmkit.core.users.NewMember;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import io.crmkit.testdb.Jdbc;
import io.crmkit.testdb.MutableClock;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/**
 * A fresh database with core and crm-ticketing migrated (found by ServiceLoader, as a host's would
 * be; crm-whatsapp is not on this module's class path), on a clock the test moves. Tickets are
 * reached as a host reaches them, {@code scope.service(TicketService.class)}.
 */
final class TestTicketing implements AutoCloseable {
  final TestDatabase db;
  final Crm crm;
  final MutableClock clock;

  private TestTicketing(TestDatabase db, Crm crm, MutableClock clock) {
    this.db = db;
    this.crm = crm;
    this.clock = clock;
  }

  /** Core and crm-ticketing, without a bridge. */
  static TestTicketing start() {
    return start(new CrmModule[0]);
  }

  /** Core and crm-ticketing with {@code modules} given to {@code Crm.builder().module(…)} (a bridge, say). */
  static TestTicketing start(CrmModule... modules) {
    TestDatabase db = TestPostgres.shared().createDatabase();
    MutableClock clock = new MutableClock(Instant.now());
    Crm.Builder builder = Crm.builder().dataSource(db.runtimeDataSource()).migrationDataSource(db.adminDataSource())
        .clock(clock);
    for (CrmModule module : modules) {
      builder.module(module);
    }
    Crm crm = builder.build();
    crm.migrate();
    return new TestTicketing(db, crm, clock);
  }

  ProvisionedOrganization provision() {
    return provision("professional", ZoneId.of("Asia/Riyadh"));
  }

  ProvisionedOrganization provision(String plan, ZoneId zone) {
    String slug = "org-" + UUID.randomUUID().toString().substring(0, 8);
    return crm.platform().provision(OrganizationDraft.builder().name(slug).slug(slug).plan(plan)
        .defaultRegion("SA").timeZone(zone).admin("admin@" + slug + ".example").build());
  }

  TenantScope admin(ProvisionedOrganization org) {
    return crm.tenant(org.organization().id()).as(org.admin().id());
  }

  TicketService tickets(ProvisionedOrganization org) {
    return admin(org).service(TicketService.class);
  }

  /** A member of {@code org} with {@code role}. */
  User member(ProvisionedOrganization org, Role role) {
    String email = role.databaseName() + "-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
    return crm.acceptInvitation(admin(org).users().invite(email, role).token(), NewMember.named(role.name()));
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

  /** The rows of a query as the admin (owner) role, as text. */
  List<String> admin(String sql, Object... parameters) throws SQLException {
    try (Connection c = db.adminDataSource().getConnection()) {
      return rows(c, sql, parameters);
    }
  }

  /** The rows of a query as text (see {@link Jdbc#rows}). */
  static List<String> rows(Connection c, String sql, Object... parameters) throws SQLException {
    return Jdbc.rows(c, sql, parameters);
  }

  @Override
  public void close() {
    crm.close();
    db.close();
  }
}
