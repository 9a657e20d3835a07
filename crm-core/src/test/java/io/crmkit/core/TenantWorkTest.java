package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.CrmException;
import io.crmkit.core.exception.ForbiddenException;
import io.crmkit.core.exception.LimitExceededException;
import io.crmkit.core.exception.RetryableException;
import io.crmkit.core.exception.TenantContextException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.core.users.NewMember;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import io.crmkit.testdb.Jdbc;
import io.crmkit.testdb.TestPostgres;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module SPI's way into a tenant transaction, as crm-whatsapp and later modules use it. */
class TenantWorkTest {
  private static TestCrm t;

  @BeforeAll
  static void setUp() {
    t = TestCrm.start(b -> b.module(new ProbeModule("hello")));
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private static String one(java.sql.Connection c, String sql) throws java.sql.SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void workRunsAsTheRuntimeRoleWithTheTenantSetAndSeesOnlyItsRows() {
    ProvisionedOrganization a = t.provision();
    ProvisionedOrganization b = t.provision();
    t.adminScope(b).customers().create(CustomerDraft.builder().fullName("B's").build());
    String seen = TenantWork.call(t.adminScope(a), tx -> one(tx.connection(),
        "select current_user || ' ' || current_setting('app.current_organization_id') || ' '"
            + " || (select count(*) from crm.customers)"));
    assertThat(seen).isEqualTo("crm_app " + a.organization().id() + " 0");
    assertThat(TenantWork.call(t.adminScope(a), TenantTransaction::schema)).isEqualTo("crm");
  }

  @Test
  void aStatementThatWaitsPastItsTimeoutIsRetryableAndChangesNothing() {
    ProvisionedOrganization org = t.provision();
    assertThatThrownBy(() -> TenantWork.call(t.adminScope(org), tx -> {
      tx.scope().customers().create(CustomerDraft.builder().fullName("Before the wait").build());
      try (java.sql.Statement s = tx.connection().createStatement()) {
        s.execute("set local statement_timeout = '50ms'");
        return s.execute("select pg_sleep(1)");
      }
    })).isInstanceOf(RetryableException.class).hasMessageContaining("57014");
    assertThat(t.adminScope(org).customers().search("Before the wait", 10, Optional.empty()).items()).isEmpty();
  }

  @Test
  void anUnexpectedDatabaseErrorSaysItsStateButNeverTheSqlOrItsContext() {
    ProvisionedOrganization org = t.provision();
    assertThatThrownBy(() -> TenantWork.call(t.adminScope(org), tx -> tx.connection().createStatement().execute(
        "do $$ begin perform 1 / (select count(*) from crm.customers where full_name = 'secret-literal'); end $$")))
        .isInstanceOfSatisfying(io.crmkit.core.exception.ServerFaultException.class, e -> {
          assertThat(e.getMessage()).isEqualTo("server fault: database error (SQLSTATE 22012)");
          assertThat(e.sqlState()).contains("22012");
          assertThat(e.getCause().getMessage()).as("the cause keeps it all, for logs").contains("PL/pgSQL", "secret-literal");
        });
  }

  @Test
  void workJoinsTheHostsTransactionAndCoreServicesJoinTheWork() {
    ProvisionedOrganization org = t.provision();
    TenantScope admin = t.adminScope(org);
    assertThatThrownBy(() -> admin.inTransaction(scope -> {
      String outer = TenantWork.call(scope, tx -> one(tx.connection(), "select txid_current()::text"));
      TenantWork.call(scope, tx -> {
        assertThat(one(tx.connection(), "select txid_current()::text")).as("one transaction").isEqualTo(outer);
        return tx.scope().customers().create(CustomerDraft.builder().fullName("Rolled back").build());
      });
      throw new IllegalStateException("the host changes its mind");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(admin.customers().search("Rolled back", 10, Optional.empty()).items())
        .as("the customer created through tx.scope() went with the rollback").isEmpty();
  }

  /** A stage named {@code name} in {@code org}, counted by the owner (committed rows only). */
  private static int stagesNamed(ProvisionedOrganization org, String name) throws java.sql.SQLException {
    try (java.sql.Connection admin = t.admin().getConnection(); PreparedStatement ps = admin.prepareStatement(
        "select count(*) from crm.sales_stages where organization_id = ? and name = ?")) {
      ps.setObject(1, org.organization().id());
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** The probe's statement that inserts a stage and returns it; a divisor of 0 makes it fail. */
  private static List<ProbeMapper.Stage> insertStage(TenantTransaction tx, String name, int divisor)
      throws java.sql.SQLException {
    return tx.queryAndCommit(ProbeMapper.class, "insertStage", Map.of("name", name, "divisor", divisor));
  }

  @Test
  void aCallsLastStatementCommitsItBeforeTheWorkReturnsAndNothingRunsAfterIt() throws Exception {
    ProvisionedOrganization org = t.provision();
    List<String> afterCommit = new ArrayList<>();
    String inserted = TenantWork.call(t.adminScope(org), tx -> {
      assertThat(tx.commitsOnReturn()).isTrue();
      tx.scope().customers().create(CustomerDraft.builder().fullName("Written before the last statement").build());
      tx.afterCommit(() -> afterCommit.add("ran"));
      String name = insertStage(tx, "Committed inline", 1).get(0).name();
      assertThat(stagesNamed(org, "Committed inline")).as("committed by the statement, before the work returns")
          .isEqualTo(1);
      assertThat(afterCommit).as("after-commit actions wait for the work to return").isEmpty();
      assertThatThrownBy(tx::connection).isInstanceOf(IllegalStateException.class).hasMessageContaining("committed");
      assertThatThrownBy(() -> tx.scope().customers().create(CustomerDraft.builder().fullName("Too late").build()))
          .isInstanceOf(IllegalStateException.class);
      return name;
    });
    assertThat(inserted).isEqualTo("Committed inline");
    assertThat(afterCommit).containsExactly("ran");
    assertThat(t.adminScope(org).customers().search("Written before", 10, Optional.empty()).items()).hasSize(1);
    assertThat(t.adminScope(org).customers().search("Too late", 10, Optional.empty()).items()).isEmpty();
  }

  @Test
  void aFailingLastStatementCommitsNothingOfTheWork() throws Exception {
    ProvisionedOrganization org = t.provision();
    List<String> afterCommit = new ArrayList<>();
    assertThatThrownBy(() -> TenantWork.call(t.adminScope(org), tx -> {
      tx.scope().customers().create(CustomerDraft.builder().fullName("Never committed").build());
      tx.afterCommit(() -> afterCommit.add("ran"));
      return insertStage(tx, "Failed inline", 0);
    })).isInstanceOf(CrmException.class).hasMessageContaining("22012");
    assertThat(t.adminScope(org).customers().search("Never committed", 10, Optional.empty()).items()).isEmpty();
    assertThat(stagesNamed(org, "Failed inline")).isZero();
    assertThat(afterCommit).isEmpty();
  }

  @Test
  void inATransactionTheHostOwnsTheLastStatementLeavesTheCommitToIt() throws Exception {
    ProvisionedOrganization org = t.provision();
    TenantScope admin = t.adminScope(org);
    assertThatThrownBy(() -> admin.inTransaction(scope -> {
      TenantWork.call(scope, tx -> {
        assertThat(tx.commitsOnReturn()).as("the callback goes on after this work").isFalse();
        return insertStage(tx, "In a callback", 1);
      });
      String seen = TenantWork.call(scope, tx -> one(tx.connection(), "select count(*) from crm.sales_stages"
          + " where name = 'In a callback'"));
      assertThat(seen).as("the transaction goes on").isEqualTo("1");
      throw new IllegalStateException("the host changes its mind");
    })).hasMessage("the host changes its mind");
    assertThat(stagesNamed(org, "In a callback")).isZero();

    try (java.sql.Connection host = t.runtime().getConnection()) {
      host.setAutoCommit(false);
      TenantScope joined = admin.joining(host, action -> {});
      List<ProbeMapper.Stage> inserted = TenantWork.call(joined, tx -> {
        assertThat(tx.commitsOnReturn()).isFalse();
        return insertStage(tx, "Joined", 1);
      });
      assertThat(inserted).extracting(ProbeMapper.Stage::name).containsExactly("Joined");
      host.rollback();
    }
    assertThat(stagesNamed(org, "Joined")).as("the host's rollback undoes it").isZero();
  }

  @Test
  void theLastStatementCommitsInlineWhateverTheHostsDriverSettings() throws Exception {
    ProvisionedOrganization org = t.provision();
    // pgjdbc's automatic savepoints wrap each statement; the simple protocol inlines parameters; a
    // fetch size would read through a cursor; one pooled connection reaches the server-side prepare.
    for (String settings : List.of("autosave=always&cleanupSavepoints=true", "preferQueryMode=simple",
        "autosave=conservative&prepareThreshold=1", "defaultRowFetchSize=1")) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(t.database.jdbcUrl() + (t.database.jdbcUrl().contains("?") ? "&" : "?") + settings);
      config.setUsername(TestPostgres.RUNTIME_ROLE);
      config.setPassword(TestPostgres.RUNTIME_PASSWORD);
      config.setMaximumPoolSize(1);
      try (HikariDataSource pool = new HikariDataSource(config);
          Crm crm = Crm.builder().dataSource(pool).module(new ProbeModule("hello")).build()) {
        TenantScope scope = crm.tenant(org.organization().id()).as(org.admin().id());
        for (int i = 0; i < 6; i++) {
          String name = settings + " " + i;
          List<String> inserted = TenantWork.call(scope, tx -> {
            List<ProbeMapper.Stage> rows = tx.queryAndCommit(ProbeMapper.class, "insertStages",
                Map.of("name", name, "count", 3));
            assertThat(stagesNamed(org, name + " #2")).as("committed before the work returns").isEqualTo(1);
            return rows.stream().map(ProbeMapper.Stage::name).toList();
          });
          assertThat(inserted).as(settings).containsExactly(name + " #0", name + " #1", name + " #2");
        }
        assertThatThrownBy(() -> TenantWork.call(scope, tx -> {
          tx.scope().customers().create(CustomerDraft.builder().fullName("Not with " + settings).build());
          return insertStage(tx, "Lead", 1);
        })).as(settings).isInstanceOf(ConflictException.class);
        assertThat(scope.customers().search("Not with", 10, Optional.empty()).items()).as(settings).isEmpty();
      }
    }
  }

  @Test
  void aConnectionLostAfterTheCommitWasSentIsAnUnknownOutcomeNotARetry() throws Exception {
    ProvisionedOrganization org = t.provision();
    org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
    ds.setURL(t.database.jdbcUrl());
    ds.setUser(TestPostgres.RUNTIME_ROLE);
    ds.setPassword(TestPostgres.RUNTIME_PASSWORD);
    ds.setSocketTimeout(1);
    try (Crm crm = Crm.builder().dataSource(ds).module(new ProbeModule("hello")).build();
        java.sql.Connection blocker = t.admin().getConnection()) {
      // An uncommitted stage of the same name: the insert waits on it past the client's timeout.
      blocker.setAutoCommit(false);
      try (PreparedStatement ps = blocker.prepareStatement("insert into crm.sales_stages (organization_id, name,"
          + " display_order) values (?, 'Outcome unknown', 51)")) {
        ps.setObject(1, org.organization().id());
        ps.executeUpdate();
      }
      TenantScope scope = crm.tenant(org.organization().id()).as(org.admin().id());
      assertThatThrownBy(() -> TenantWork.call(scope, tx -> insertStage(tx, "Outcome unknown", 1)))
          .isInstanceOf(io.crmkit.core.exception.CommitOutcomeUnknownException.class)
          .isNotInstanceOf(RetryableException.class).hasMessageContaining("whether it committed is unknown");
      blocker.rollback();
    }
    // The server had the COMMIT already: it commits, and only then finds the client gone.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (stagesNamed(org, "Outcome unknown") == 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(stagesNamed(org, "Outcome unknown")).isEqualTo(1);
  }

  @Test
  void workThatFailsAfterItsLastStatementCommittedSaysSoAndItsAfterCommitActionsRun() throws Exception {
    ProvisionedOrganization org = t.provision();
    List<String> afterCommit = new ArrayList<>();
    assertThatThrownBy(() -> TenantWork.call(t.adminScope(org), tx -> {
      tx.afterCommit(() -> afterCommit.add("ran"));
      insertStage(tx, "Then a bug", 1);
      throw new IllegalArgumentException("a bug after the commit");
    })).isInstanceOf(IllegalStateException.class).hasMessageContaining("committed")
        .hasRootCauseMessage("a bug after the commit");
    assertThat(stagesNamed(org, "Then a bug")).isEqualTo(1);
    assertThat(afterCommit).containsExactly("ran");
  }

  @Test
  void databaseErrorsArriveAsCrmExceptions() {
    ProvisionedOrganization org = t.provision();
    assertThatThrownBy(() -> TenantWork.call(t.adminScope(org), tx -> {
      try (PreparedStatement ps = tx.connection().prepareStatement("insert into crm.sales_stages"
          + " (organization_id, name, display_order) values (?, 'Lead', 9)")) {
        ps.setObject(1, tx.organizationId());
        return ps.executeUpdate();
      }
    })).isInstanceOf(ConflictException.class);
  }

  @Test
  void aRoleCheckBeforeTheWorksFirstStatementUsesTheCallsOwnReadAndAfterItReadsAfresh() throws Exception {
    ProvisionedOrganization org = t.provision();
    User manager = t.crm.acceptInvitation(t.adminScope(org).users().invite("manager@example.com", Role.MANAGER)
        .token(), NewMember.named("Manager"));
    AtomicInteger statements = new AtomicInteger();
    DataSource counting = Jdbc.counting(t.runtime(),
        name -> name.startsWith("prepare") || name.equals("createStatement"), statements);
    try (Crm crm = Crm.builder().dataSource(counting).build()) {
      TenantScope asManager = crm.tenant(org.organization().id()).as(manager.id());
      TenantWork.call(asManager, tx -> null); // the Crm's one-time checks
      statements.set(0);
      TenantWork.call(asManager, tx -> null);
      int call = statements.getAndSet(0);
      Role role = TenantWork.call(asManager, tx -> tx.requireRole("op", Role.MANAGER));
      assertThat(role).isEqualTo(Role.MANAGER);
      assertThat(statements).as("no second read of the role the call read on entry").hasValue(call);

      // Once the work has run a statement, a check reads the role again: a demotion committed
      // meanwhile is seen.
      assertThatThrownBy(() -> TenantWork.call(asManager, tx -> {
        one(tx.connection(), "select 1");
        t.executeAsAdmin("update crm.users set role = 'agent' where id = '" + manager.id() + "'");
        return tx.requireRole("op", Role.MANAGER);
      })).isInstanceOf(ForbiddenException.class);
    }
  }

  @Test
  void rolesAreCheckedAndSystemActorsPassOnlyWhereAllowed() {
    ProvisionedOrganization org = t.provision();
    User agent = t.crm.acceptInvitation(t.adminScope(org).users().invite("agent@example.com", Role.AGENT).token(),
        NewMember.named("Agent"));
    TenantScope asAgent = t.crm.tenant(org.organization().id()).as(agent.id());
    TenantScope asSystem = t.crm.tenant(org.organization().id()).asSystem("webhook");
    Role role = TenantWork.call(t.adminScope(org), tx -> tx.requireRole("op", Role.ADMIN));
    assertThat(role).isEqualTo(Role.ADMIN);
    assertThatThrownBy(() -> TenantWork.call(asAgent, tx -> tx.requireRole("op", Role.ADMIN)))
        .isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> TenantWork.call(asSystem, tx -> tx.requireRole("op", Role.ADMIN)))
        .isInstanceOf(ForbiddenException.class);
    String passed = TenantWork.call(asSystem, tx -> {
      tx.requireRoleUnlessSystem("op", Role.ADMIN);
      return "passed";
    });
    assertThat(passed).isEqualTo("passed");
    assertThatThrownBy(() -> TenantWork.call(asAgent, tx -> {
      tx.requireRoleUnlessSystem("op", Role.ADMIN);
      return "passed";
    })).isInstanceOf(ForbiddenException.class);
  }

  @Test
  void countersHoldTheLimitAndGiveBack() throws java.sql.SQLException {
    ProvisionedOrganization org = t.provision();
    t.crm.platform().setCustomLimit(org.organization().id(), Limit.WHATSAPP_PROFILES, OptionalLong.of(2));
    TenantScope admin = t.adminScope(org);
    for (int i = 0; i < 2; i++) {
      TenantWork.call(admin, tx -> {
        tx.takeWithinLimit("things", LocalDate.EPOCH, 1, Limit.WHATSAPP_PROFILES);
        return null;
      });
    }
    assertThatThrownBy(() -> TenantWork.call(admin, tx -> {
      tx.takeWithinLimit("things", LocalDate.EPOCH, 1, Limit.WHATSAPP_PROFILES);
      return null;
    })).isInstanceOfSatisfying(LimitExceededException.class, e -> assertThat(e.value()).isEqualTo(2));
    TenantWork.call(admin, tx -> {
      tx.giveBack("things", LocalDate.EPOCH, 1);
      tx.takeWithinLimit("things", LocalDate.EPOCH, 1, Limit.WHATSAPP_PROFILES);
      return null;
    });
    // A counter no limit bounds: counted, and taken back by a rollback.
    TenantWork.call(admin, tx -> {
      tx.count(TenantTransaction.STORAGE_BYTES, LocalDate.EPOCH, 3_000_000_000L);
      tx.count(TenantTransaction.STORAGE_BYTES, LocalDate.EPOCH, 5);
      return null;
    });
    assertThatThrownBy(() -> TenantWork.call(admin, tx -> {
      tx.count(TenantTransaction.STORAGE_BYTES, LocalDate.EPOCH, 7);
      throw new IllegalStateException("rolled back");
    })).hasMessage("rolled back");
    assertThatThrownBy(() -> TenantWork.call(admin, tx -> {
      tx.count(TenantTransaction.STORAGE_BYTES, LocalDate.EPOCH, 0);
      return null;
    })).isInstanceOf(IllegalArgumentException.class);
    try (java.sql.Connection c = t.admin().getConnection()) {
      assertThat(one(c, "select value from crm.usage_counters where metric = 'storage_bytes' and organization_id = '"
          + org.organization().id() + "'")).isEqualTo("3000000005");
    }
  }

  /** take_within_limit as modules call it inside their own statements: each source of a limit. */
  @Test
  void takeWithinLimitReadsTheOneLimitItTakesFromTheCustomValueOrThePackage() {
    ProvisionedOrganization org = t.provision(); // professional: max_users 50
    ProvisionedOrganization other = t.provision();
    UUID id = org.organization().id();
    TenantScope admin = t.adminScope(org);
    java.util.function.BiFunction<String, Long, String> take = (limit, amount) -> TenantWork.call(admin, tx -> {
      try (PreparedStatement ps = tx.connection().prepareStatement("select crm.take_within_limit("
          + "?, 'probe_' || ?, date '2000-01-01', ?, ?)")) {
        ps.setObject(1, id);
        ps.setString(2, limit);
        ps.setLong(3, amount);
        ps.setString(4, limit);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return String.valueOf(rs.getObject(1));
        }
      }
    });
    assertThat(take.apply("max_users", 50L)).as("the package's 50").isEqualTo("50");
    assertThat(take.apply("max_users", 1L)).as("over it").isEqualTo("null");
    t.crm.platform().setCustomLimit(id, Limit.USERS, OptionalLong.of(60));
    assertThat(take.apply("max_users", 10L)).as("a custom 60").isEqualTo("60");
    t.crm.platform().setCustomLimit(id, Limit.USERS, OptionalLong.empty());
    assertThat(take.apply("max_users", 1_000_000L)).as("custom unlimited, still counted").isEqualTo("1000060");
    t.crm.platform().changePlan(id, "enterprise");
    assertThat(take.apply("max_customers", 5_000_000L)).as("the package's NULL: unlimited").isEqualTo("5000000");
    assertThat(take.apply("max_gizmos", 1L)).as("an unknown limit is never unlimited").isEqualTo("null");
    assertThat(take.apply("max_customers", 0L)).as("nothing to take").isEqualTo("null");
    Object fromOther = TenantWork.call(t.adminScope(other), tx -> {
      try (PreparedStatement ps = tx.connection().prepareStatement("select crm.take_within_limit("
          + "?, 'probe', date '2000-01-01', 1, 'max_users')")) {
        ps.setObject(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getObject(1);
        }
      }
    });
    assertThat(fromOther).as("another tenant's organization is not visible").isNull();
  }

  @Test
  void crossTenantWorkSeesNoTenantRowsAndCanOnlyCallTheNamedFunctions() {
    ProvisionedOrganization org = t.provision();
    t.adminScope(org).customers().create(CustomerDraft.builder().fullName("Invisible").build());
    String seen = TenantWork.crossTenant(t.crm, tx -> one(tx.connection(), "select (select count(*) from crm.customers) || ' '"
        + " || coalesce(current_setting('app.current_organization_id', true), '') || ' '"
        + " || (select id from crm.find_organization_by_slug('" + org.organization().slug() + "'))"));
    assertThat(seen).isEqualTo("0  " + org.organization().id());
    assertThatThrownBy(() -> TenantWork.crossTenant(t.crm, tx -> {
      try (PreparedStatement ps = tx.connection().prepareStatement("insert into crm.sales_stages (organization_id, name,"
          + " display_order) values (?, 'Sneaky', 9)")) {
        ps.setObject(1, org.organization().id());
        return ps.executeUpdate();
      }
    })).isInstanceOf(TenantContextException.class);
  }

  @Test
  void anExhaustedPoolIsRetryableNotAFailure() throws Exception {
    com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
    config.setDataSource(t.runtime());
    config.setMaximumPoolSize(1);
    config.setConnectionTimeout(250);
    try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config);
        Crm small = Crm.builder().dataSource(pool).build()) {
      ProvisionedOrganization org = t.provision();
      TenantScope admin = small.tenant(org.organization().id()).as(org.admin().id());
      java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
      Thread holder = new Thread(() -> {
        try {
          admin.inTransaction(tx -> {
            holding.countDown();
            return release.await(10, java.util.concurrent.TimeUnit.SECONDS);
          });
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      holder.start();
      try {
        assertThat(holding.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> admin.users().list()).isInstanceOf(RetryableException.class)
            .hasMessageContaining("nothing was done");
      } finally {
        release.countDown();
        holder.join(10_000);
      }
    }
  }

  @Test
  void onlyScopesFromACrmAreAccepted() {
    TenantScope foreign = (TenantScope) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {TenantScope.class}, (proxy, method, args) -> UUID.randomUUID());
    assertThatThrownBy(() -> TenantWork.call(foreign, tx -> null)).isInstanceOf(IllegalArgumentException.class);
  }
}
