package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.internal.Migrations;
import io.crmkit.core.internal.ModuleOrder;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.spi.CrmModule;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;

class MigrationTest {

  @Test
  void eachModuleHasItsOwnHistoryAndMigratingAgainChangesNothing() throws SQLException {
    try (TestCrm t = TestCrm.start()) {
      t.crm.migrate();
      assertThat(query(t.admin(), "select version || ' ' || success from crm.flyway_history_core where version <> '0'"
          + " order by installed_rank")).hasSize(coreMigrations()).allMatch(r -> r.endsWith(" true"));
      assertThat(query(t.admin(), "select count(*) from crm.flyway_history_core"))
          .containsExactly(String.valueOf(coreMigrations()));
      t.crm.validateSchema();
    }
  }

  @Test
  void aModuleAddedLaterRunsItsFirstMigrationInTheNonEmptySchema() throws SQLException {
    try (TestDatabase db = TestPostgres.shared().createDatabase()) {
      CrmModule core = ModuleOrder.discover(getClass().getClassLoader(), List.of()).get(0);
      Migrations.migrate(db.adminDataSource(), "crm", "crm_owner", "crm_app", List.of(core), getClass().getClassLoader());
      List<CrmModule> both = ModuleOrder.order(List.of(core, extraModule()));

      assertThatThrownBy(() -> Migrations.validate(db.adminDataSource(), "crm", "crm_owner", "crm_app", both,
          getClass().getClassLoader()))
          .as("validate-only mode notices the module that was never applied")
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("testextra");

      Migrations.migrate(db.adminDataSource(), "crm", "crm_owner", "crm_app", both, getClass().getClassLoader());
      assertThat(query(db.adminDataSource(), "select version from crm.flyway_history_testextra order by installed_rank"))
          .as("baselined at 0, so V1 ran rather than being skipped as 'below the baseline'")
          .containsExactly("0", "1");
      assertThat(query(db.adminDataSource(), "select pg_get_userbyid(relowner) from pg_class"
          + " where oid = 'crm.extra_notes'::regclass")).containsExactly("crm_owner");
      Migrations.validate(db.adminDataSource(), "crm", "crm_owner", "crm_app", both, getClass().getClassLoader());
    }
  }

  @Test
  void theSchemaIsConfigurableAndLeavesTheHostsOwnTablesAlone() throws SQLException {
    try (TestDatabase db = TestPostgres.shared().createDatabase()) {
      db.executeAsAdmin("create table public.users (id int primary key, email text)");
      db.executeAsAdmin("insert into public.users values (1, 'host@example.com')");
      try (Crm crm = Crm.builder().dataSource(db.runtimeDataSource()).migrationDataSource(db.adminDataSource())
          .schema("crm_embedded").build()) {
        crm.migrate();
        ProvisionedOrganization org = crm.platform().provision(OrganizationDraft.builder()
            .name("Acme").slug("acme").defaultRegion("SA").admin("sara@acme.example").build());
        assertThat(crm.tenant(org.organization().id()).as(org.admin().id()).users().list()).hasSize(1);
      }
      assertThat(query(db.adminDataSource(), "select email from public.users")).containsExactly("host@example.com");
      assertThat(query(db.adminDataSource(), "select count(*) from crm_embedded.users")).containsExactly("1");
      assertThat(query(db.adminDataSource(), "select count(*) from pg_namespace where nspname = 'crm'"))
          .containsExactly("0");
    }
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "autoCommit={0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
  void aPooledMigrationConnectionGoesBackWithoutTheOwnerRole(boolean autoCommit) throws SQLException {
    try (TestDatabase db = TestPostgres.shared().createDatabase()) {
      com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
      config.setDataSource(db.adminDataSource());
      config.setMaximumPoolSize(3);
      config.setAutoCommit(autoCommit);
      try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config);
          Crm crm = Crm.builder().dataSource(db.runtimeDataSource()).migrationDataSource(pool).build()) {
        crm.migrate();
        crm.platform().provision(OrganizationDraft.builder().name("A").slug("a").defaultRegion("SA")
            .admin("a@a.example").build());
        for (int i = 0; i < 3; i++) {
          try (Connection c = pool.getConnection(); Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("select current_user = session_user")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("role reset on connection " + i).isTrue();
          }
        }
      }
      assertThat(query(db.adminDataSource(), "select distinct pg_get_userbyid(relowner) from pg_class"
          + " where relnamespace = 'crm'::regnamespace")).containsExactly("crm_owner");
    }
  }

  @Test
  void concurrentStartUpsWaitForEachOther() throws Exception {
    try (TestDatabase db = TestPostgres.shared().createDatabase()) {
      List<CrmModule> modules = ModuleOrder.discover(getClass().getClassLoader(), List.of());
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try {
        List<Future<?>> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          runs.add(pool.submit(() -> Migrations.migrate(db.adminDataSource(), "crm", "crm_owner", "crm_app",
              modules, getClass().getClassLoader())));
        }
        for (Future<?> run : runs) {
          run.get();
        }
      } finally {
        pool.shutdown();
      }
      assertThat(query(db.adminDataSource(), "select count(*) from crm.flyway_history_core where version = '1'"))
          .containsExactly("1");
    }
  }

  @Test
  void migrateWaitsWhileAnotherStartUpHoldsTheLock() throws Exception {
    try (TestDatabase db = TestPostgres.shared().createDatabase();
        Connection other = db.adminDataSource().getConnection();
        Statement s = other.createStatement()) {
      s.execute("select pg_advisory_lock(hashtext('crmkit.migrate:crm'))");
      List<CrmModule> modules = ModuleOrder.discover(getClass().getClassLoader(), List.of());
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<?> run = pool.submit(() -> Migrations.migrate(db.adminDataSource(), "crm", "crm_owner", "crm_app",
            modules, getClass().getClassLoader()));
        Thread.sleep(1000);
        assertThat(run.isDone()).as("still waiting for the other start-up").isFalse();
        assertThat(query(db.adminDataSource(), "select count(*) from pg_namespace where nspname = 'crm'"))
            .as("nothing done while waiting").containsExactly("0");
        s.execute("select pg_advisory_unlock(hashtext('crmkit.migrate:crm'))");
        run.get(60, java.util.concurrent.TimeUnit.SECONDS);
      } finally {
        pool.shutdown();
      }
      assertThat(query(db.adminDataSource(), "select count(*) from crm.flyway_history_core"))
          .containsExactly(String.valueOf(coreMigrations()));
    }
  }

  @Test
  void hostsThatRunFlywayThemselvesMigrateAFreshDatabaseWithTheReadyConfigurations() throws SQLException {
    try (TestDatabase db = TestPostgres.shared().createDatabase();
        Crm crm = Crm.builder().dataSource(db.runtimeDataSource()).migrationDataSource(db.adminDataSource()).build()) {
      List<ModuleMigrations> migrations = crm.migrations();
      assertThat(migrations).extracting(ModuleMigrations::module).containsExactly("core");
      FluentConfiguration core = migrations.get(0).configuration();
      assertThat(core.getTable()).isEqualTo("flyway_history_core");
      assertThat(core.getBaselineVersion().getVersion()).isEqualTo("0");
      assertThat(core.isBaselineOnMigrate()).isTrue();
      assertThat(core.getLocations()).extracting(Object::toString)
          .containsExactly("classpath:io/crmkit/core/db/migration");
      // As the README says: the schema first, then each module's configuration in order.
      db.executeAsAdmin("CREATE SCHEMA crm AUTHORIZATION crm_owner");
      db.executeAsAdmin("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA crm");
      for (ModuleMigrations module : crm.migrations()) {
        module.configuration().load().migrate();
      }
      crm.validateSchema();
      ProvisionedOrganization org = crm.platform().provision(OrganizationDraft.builder().name("Self").slug("self")
          .defaultRegion("SA").admin("a@self.example").build());
      assertThat(crm.tenant(org.organization().id()).as(org.admin().id()).users().list()).hasSize(1);
    }
  }

  @Test
  void aSchemaNamedLikeAKeywordWorks() {
    try (TestDatabase db = TestPostgres.shared().createDatabase();
        Crm crm = Crm.builder().dataSource(db.runtimeDataSource()).migrationDataSource(db.adminDataSource())
            .schema("user").build()) {
      crm.migrate();
      ProvisionedOrganization org = crm.platform().provision(OrganizationDraft.builder().name("K").slug("k")
          .defaultRegion("SA").admin("a@k.example").build());
      assertThat(crm.tenant(org.organization().id()).as(org.admin().id()).entitlements().limit(Limit.USERS))
          .hasValue(3);
    }
  }

  @Test
  void modulesAreOrderedByDependencyAndBadGraphsAreRefused() {
    CrmModule a = module("alpha", "core");
    CrmModule core = module("core");
    CrmModule b = module("beta", "alpha");
    assertThat(ModuleOrder.order(List.of(b, a, core))).extracting(CrmModule::name)
        .containsExactly("core", "alpha", "beta");
    assertThatThrownBy(() -> ModuleOrder.order(List.of(b, core)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs module alpha");
    assertThatThrownBy(() -> ModuleOrder.order(List.of(module("x", "y"), module("y", "x"))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("cycle");
    assertThatThrownBy(() -> ModuleOrder.order(List.of(core, module("core"))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("two modules named core");
  }

  private static CrmModule extraModule() {
    return module("testextra", "core");
  }

  private static CrmModule module(String name, String... dependsOn) {
    return new CrmModule() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<String> dependsOn() {
        return List.of(dependsOn);
      }
    };
  }

  /** How many migrations crm-core ships, counted from its jar's (or classes') migration folder. */
  static int coreMigrations() {
    try {
      java.net.URL folder = Migrations.class.getClassLoader().getResource("io/crmkit/core/db/migration");
      try (var files = java.nio.file.Files.list(java.nio.file.Path.of(folder.toURI()))) {
        return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
      }
    } catch (java.io.IOException | java.net.URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  static List<String> query(DataSource ds, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }
}
