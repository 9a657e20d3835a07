package io.crmkit.core;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * A fresh, migrated database and a Crm on it for one test class, connected as the runtime role
 * through a small HikariCP pool (so tests see pooled connections being reused).
 */
final class TestCrm implements AutoCloseable {
  final TestDatabase database;
  final HikariDataSource runtimePool;
  final Crm crm;

  private TestCrm(TestDatabase database, HikariDataSource runtimePool, Crm crm) {
    this.database = database;
    this.runtimePool = runtimePool;
    this.crm = crm;
  }

  static TestCrm start() {
    return start(b -> {});
  }

  static TestCrm start(Consumer<Crm.Builder> customize) {
    return start(2, customize);
  }

  static TestCrm start(int poolSize, Consumer<Crm.Builder> customize) {
    TestDatabase database = TestPostgres.shared().createDatabase();
    HikariConfig config = new HikariConfig();
    config.setDataSource(database.runtimeDataSource());
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("test-runtime");
    HikariDataSource pool = new HikariDataSource(config);
    Crm.Builder builder = Crm.builder().dataSource(pool).migrationDataSource(database.adminDataSource());
    customize.accept(builder);
    Crm crm = builder.build();
    crm.migrate();
    return new TestCrm(database, pool, crm);
  }

  DataSource runtime() {
    return database.runtimeDataSource();
  }

  DataSource admin() {
    return database.adminDataSource();
  }

  /** Provisions an organization with a unique slug on the given plan. */
  ProvisionedOrganization provision(String plan) {
    String slug = "org-" + UUID.randomUUID().toString().substring(0, 8);
    return crm.platform().provision(OrganizationDraft.builder()
        .name("Org " + slug).slug(slug).plan(plan).defaultRegion("SA")
        .admin("admin@" + slug + ".example", "Admin of " + slug, "host-" + slug)
        .build());
  }

  ProvisionedOrganization provision() {
    return provision("professional");
  }

  TenantScope adminScope(ProvisionedOrganization org) {
    return crm.tenant(org.organization().id()).as(org.admin().id());
  }

  void executeAsAdmin(String sql) {
    try (Connection c = admin().getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  @Override
  public void close() {
    runtimePool.close();
    database.close();
  }
}
