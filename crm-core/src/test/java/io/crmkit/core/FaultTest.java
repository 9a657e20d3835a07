package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.customers.CustomerUpdate;
import io.crmkit.core.customers.ImportOptions;
import io.crmkit.core.customers.ImportReport;
import io.crmkit.core.exception.CommitOutcomeUnknownException;
import io.crmkit.core.exception.CrmException;
import io.crmkit.core.exception.RetryableException;
import io.crmkit.core.exception.ServerFaultException;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.testdb.Backends;
import io.crmkit.testdb.Jdbc;
import io.crmkit.testdb.RowCounts;
import io.crmkit.testdb.TestPostgres;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults of a real PostgreSQL in the middle of service calls: a session killed, a statement or
 * lock timeout, a serialization failure, a deadlock, an exhausted pool, a connection lost at the
 * COMMIT. Each fault is injected where the test wants it (the call waits for a lock the test holds,
 * and {@code pg_stat_activity} says when), and each test checks the documented exception, that
 * no table holds a row of the failed work ({@link RowCounts}), and that the next call on the same
 * Crm works.
 */
class FaultTest {
  private static final String RUNTIME = TestPostgres.RUNTIME_ROLE;
  /** The advisory lock the test triggers wait for at COMMIT, while the test holds it. */
  private static final long AT_COMMIT = 4242;
  private static TestCrm t;
  private static ExecutorService threads;

  @BeforeAll
  static void setUp() {
    t = TestCrm.start(4, b -> b.module(new ProbeModule("hello")));
    threads = Executors.newCachedThreadPool();
    // Work named "Commit waits…" waits at its COMMIT (a deferred trigger) for a lock the test holds.
    t.executeAsAdmin("""
        create function public.wait_at_commit() returns trigger language plpgsql as $$
        begin
          perform pg_advisory_xact_lock(%d);
          return null;
        end $$;
        create constraint trigger wait_at_commit after insert on crm.customers deferrable initially deferred
          for each row when (new.full_name like 'Commit waits%%') execute function public.wait_at_commit();
        create constraint trigger wait_at_commit after insert on crm.sales_stages deferrable initially deferred
          for each row when (new.name like 'Commit waits%%') execute function public.wait_at_commit();
        """.formatted(AT_COMMIT));
  }

  @AfterAll
  static void tearDown() {
    threads.shutdownNow();
    t.close();
  }

  @AfterEach
  void noSessionIsLeftWaiting() {
    assertThat(Backends.of(t.admin(), RUNTIME)).as("no call of the test still waits")
        .noneMatch(Backends.Backend::waitsForLock);
  }

  private record Tenant(ProvisionedOrganization org, TenantScope admin, Customer target) {}

  /** A new organization and a customer of it the faults' calls change. */
  private static Tenant tenant() {
    ProvisionedOrganization org = t.provision();
    TenantScope admin = t.adminScope(org);
    return new Tenant(org, admin, admin.customers().create(CustomerDraft.builder().fullName("Target").build()));
  }

  private static Map<String, Long> rows() {
    return RowCounts.of(t.admin(), "crm");
  }

  private static CustomerUpdate company(String company) {
    return CustomerUpdate.builder().company(company).build();
  }

  /** A customer's row locked by the test until the returned connection closes; references to it still go. */
  private static Connection lockCustomer(UUID id) throws SQLException {
    Connection c = t.admin().getConnection();
    c.setAutoCommit(false);
    Jdbc.rows(c, "select id from crm.customers where id = ? for no key update", id);
    return c;
  }

  /** A session-level advisory lock held by the test until the returned connection is closed. */
  private static Connection lockAdvisory(long key) throws SQLException {
    Connection c = t.admin().getConnection();
    Jdbc.rows(c, "select pg_advisory_lock(?)", key);
    return c;
  }

  /** The exception {@code call} failed with (its cause, unwrapped from the executor's). */
  private static Throwable failure(Future<?> call) throws InterruptedException {
    try {
      call.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the call did not end", e);
    }
    throw new AssertionError("the call succeeded");
  }

  private static String sqlState(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof SQLException s) {
        return s.getSQLState();
      }
    }
    return null;
  }

  /** Writes first, then changes the target: the fault finds the transaction with rows already written. */
  private static Void writeThenChangeTarget(TenantScope tx, Tenant tenant, String name) {
    tx.customers().create(CustomerDraft.builder().fullName(name).build());
    tx.customers().logActivity(tenant.target().id(), "call", Optional.of("before the fault"), Map.of());
    tx.customers().update(tenant.target().id(), company("Changed by " + name));
    return null;
  }

  @Test
  void aSessionKilledWhileTheCallWaitsIsRetryableLeavesNothingAndTheNextCallWorks() throws Exception {
    Tenant a = tenant();
    Map<String, Long> before = rows();
    Future<?> call;
    try (Connection lock = lockCustomer(a.target().id())) {
      call = threads.submit(() -> a.admin().inTransaction(tx -> writeThenChangeTarget(tx, a, "Half written")));
      Backends.terminate(t.admin(), Backends.await(t.admin(), RUNTIME, Backends.Backend::waitsForLock).pid());
    }
    assertThat(failure(call)).isInstanceOf(RetryableException.class).hasMessageContaining("nothing was changed")
        .satisfies(e -> assertThat(sqlState(e)).matches("57P01|08006"));
    assertThat(rows()).as("nothing of the killed transaction").isEqualTo(before);

    a.admin().inTransaction(tx -> writeThenChangeTarget(tx, a, "Written whole"));
    assertThat(a.admin().customers().get(a.target().id())).get().extracting(c -> c.company().orElseThrow())
        .isEqualTo("Changed by Written whole");
  }

  @Test
  void aSessionKilledBetweenTwoStatementsIsRetryableAndLeavesNothing() throws Exception {
    Tenant a = tenant();
    Map<String, Long> before = rows();
    CountDownLatch written = new CountDownLatch(1);
    CountDownLatch killed = new CountDownLatch(1);
    Future<?> call = threads.submit(() -> a.admin().inTransaction(tx -> {
      tx.customers().create(CustomerDraft.builder().fullName("First of two").build());
      written.countDown();
      killed.await();
      return tx.customers().create(CustomerDraft.builder().fullName("Second of two").build());
    }));
    assertThat(written.await(30, TimeUnit.SECONDS)).isTrue();
    Backends.terminate(t.admin(), Backends.await(t.admin(), RUNTIME, Backends.Backend::idleInTransaction).pid());
    killed.countDown();
    assertThat(failure(call)).isInstanceOf(RetryableException.class)
        .satisfies(e -> assertThat(sqlState(e)).matches("57P01|08.*"));
    assertThat(rows()).isEqualTo(before);
    assertThat(a.admin().customers().create(CustomerDraft.builder().fullName("After the kill").build())).isNotNull();
  }

  @ParameterizedTest(name = "through {0}")
  @ValueSource(strings = {"a pool", "plain connections"})
  void aKilledCallWhoseFailureTheWorkIgnoredCommitsNothingAndIsRetryable(String through) throws Exception {
    Tenant a = tenant();
    try (Crm plain = Crm.builder().dataSource(t.runtime()).migrationDataSource(t.admin()).build()) {
      Crm crm = through.equals("a pool") ? t.crm : plain;
      TenantScope admin = crm.tenant(a.org().organization().id()).as(a.org().admin().id());
      Map<String, Long> before = rows();
      Future<?> call;
      try (Connection lock = lockCustomer(a.target().id())) {
        call = threads.submit(() -> admin.inTransaction(tx -> {
          tx.customers().create(CustomerDraft.builder().fullName("Lost with the session").build());
          try {
            tx.customers().update(a.target().id(), company("Never"));
          } catch (RetryableException ignored) {
            // The host's callback goes on as if the call had not failed, and returns.
          }
          return null;
        }));
        Backends.terminate(t.admin(), Backends.await(t.admin(), RUNTIME, Backends.Backend::waitsForLock).pid());
      }
      assertThat(failure(call)).as("no COMMIT was sent: not an unknown outcome").isInstanceOf(RetryableException.class)
          .hasMessageContaining("before its COMMIT was sent");
      assertThat(rows()).isEqualTo(before);
      assertThat(admin.customers().create(CustomerDraft.builder().fullName("Next").build())).isNotNull();
    }
  }

  @Test
  void aTransactionADatabaseErrorAbortedIsNeverReportedAsCommitted() {
    Tenant a = tenant();
    Map<String, Long> before = rows();
    assertThatThrownBy(() -> a.admin().inTransaction(tx -> {
      tx.customers().create(CustomerDraft.builder().fullName("Lost with the abort").build());
      try {
        TenantWork.call(tx, w -> w.queryAndCommit(ProbeMapper.class, "insertStage",
            Map.of("name", "Divided by zero", "divisor", 0)));
      } catch (CrmException ignored) {
        // As above: the failure is ignored, but the transaction is aborted all the same.
      }
      return null;
    })).isInstanceOf(IllegalStateException.class).hasMessageContaining("nothing was committed");
    assertThat(rows()).isEqualTo(before);
  }

  @Test
  void aBatchOfAnImportKilledMidwayIsReplayedAndEveryRowLandsOnce() throws Exception {
    Tenant a = tenant();
    Map<String, Long> before = rows();
    StringBuilder csv = new StringBuilder("full_name,email\n");
    for (int i = 1; i <= 6; i++) {
      csv.append("Imported ").append(i).append(",imported").append(i).append("@example.com\n");
    }
    Future<ImportReport> call;
    try (Connection lock = t.admin().getConnection()) {
      // The customers' usage counter: a batch takes it after inserting its rows.
      lock.setAutoCommit(false);
      Jdbc.rows(lock, "select value from crm.usage_counters where organization_id = ? and metric = 'customers'"
          + " for update", a.org().organization().id());
      call = threads.submit(() -> a.admin().customers().importCsv(
          new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), new ImportOptions(3, r -> { })));
      Backends.terminate(t.admin(), Backends.await(t.admin(), RUNTIME, Backends.Backend::waitsForLock).pid());
    }
    ImportReport report = call.get(60, TimeUnit.SECONDS);
    assertThat(report.errors()).isEmpty();
    assertThat(report.inserted()).isEqualTo(6);
    Map<String, Long> after = rows();
    assertThat(after.get("customers") - before.get("customers")).as("each row once").isEqualTo(6);
    assertThat(after.get("customer_activities") - before.get("customer_activities")).isEqualTo(6);
    assertThat(a.admin().customers().search("Imported", 20, Optional.empty()).items()).hasSize(6);
  }

  @Test
  void anImportWhoseBatchKeepsFailingTransientlyStopsRetryablyInsteadOfBlamingItsRows() throws Exception {
    Tenant a = tenant();
    StringBuilder csv = new StringBuilder("full_name,email\n");
    for (int i = 1; i <= 4; i++) {
      csv.append("Stuck ").append(i).append(",stuck").append(i).append("@example.com\n");
    }
    try (HikariDataSource pool = pool(1, config -> config.setConnectionInitSql("set lock_timeout = '200ms'"));
        Crm timed = Crm.builder().dataSource(pool).migrationDataSource(t.admin()).build()) {
      TenantScope admin = timed.tenant(a.org().organization().id()).as(a.org().admin().id());
      Map<String, Long> before = rows();
      try (Connection lock = t.admin().getConnection()) {
        // The customers' usage counter, held for every try: each batch times out.
        lock.setAutoCommit(false);
        Jdbc.rows(lock, "select value from crm.usage_counters where organization_id = ? and metric = 'customers'"
            + " for update", a.org().organization().id());
        assertThatThrownBy(() -> admin.customers().importCsv(
            new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), new ImportOptions(2, r -> { })))
            .isInstanceOf(RetryableException.class).hasMessageContaining("stopped at line 2");
        lock.rollback();
      }
      assertThat(rows()).isEqualTo(before);
      ImportReport again = admin.customers().importCsv(
          new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), new ImportOptions(2, r -> { }));
      assertThat(again.errors()).isEmpty();
      assertThat(again.inserted()).isEqualTo(4);
    }
  }

  @Test
  void anImportMeetingAServerFaultStopsInsteadOfBlamingEveryRow() {
    Tenant a = tenant();
    String csv = "full_name,email\nFirst,first@example.com\nSecond,second@example.com\nThird,third@example.com\n";
    TenantScope admin = a.admin();
    admin.customers().importCsv(new ByteArrayInputStream("full_name,email\nFirst,first@example.com\n"
        .getBytes(StandardCharsets.UTF_8)), new ImportOptions(2, r -> { }));
    Map<String, Long> before = rows();
    // A broken deployment: the runtime role lost a grant its inserts need.
    t.executeAsAdmin("revoke insert on crm.customers from " + TestPostgres.RUNTIME_ROLE);
    try {
      assertThatThrownBy(() -> admin.customers().importCsv(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
          new ImportOptions(2, r -> { })))
          .isInstanceOfSatisfying(ServerFaultException.class, e -> assertThat(e.sqlState()).contains("42501"))
          .hasMessage("server fault: the import stopped at line 2 (SQLSTATE 42501); the 0 rows before it are done");
    } finally {
      t.executeAsAdmin("grant insert on crm.customers to " + TestPostgres.RUNTIME_ROLE);
    }
    assertThat(rows()).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0} gives SQLSTATE {1}")
  @CsvSource({"statement_timeout, 57014", "lock_timeout, 55P03"})
  void aTimeoutIsRetryableLeavesNothingAndTheNextCallWorks(String setting, String state) throws Exception {
    Tenant a = tenant();
    try (HikariDataSource pool = pool(1, config -> config.setConnectionInitSql("set " + setting + " = '200ms'"));
        Crm timed = Crm.builder().dataSource(pool).migrationDataSource(t.admin()).build()) {
      TenantScope admin = timed.tenant(a.org().organization().id()).as(a.org().admin().id());
      Map<String, Long> before = rows();
      try (Connection lock = lockCustomer(a.target().id())) {
        // The lock is held for as long as the call waits: the timeout ends it, whenever it fires.
        assertThatThrownBy(() -> admin.inTransaction(tx -> writeThenChangeTarget(tx, a, "Timed out")))
            .isInstanceOf(RetryableException.class).hasMessageContaining("nothing was changed")
            .satisfies(e -> assertThat(sqlState(e)).isEqualTo(state));
      }
      assertThat(rows()).isEqualTo(before);
      admin.inTransaction(tx -> writeThenChangeTarget(tx, a, "In time"));
      assertThat(admin.customers().get(a.target().id())).get().extracting(c -> c.company().orElseThrow())
          .isEqualTo("Changed by In time");
    }
  }

  @Test
  void aSerializationFailureInTheHostsSerializableTransactionIsRetryable() throws Exception {
    Tenant a = tenant();
    try (Connection host = t.runtime().getConnection()) {
      host.setAutoCommit(false);
      host.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
      TenantScope joined = a.admin().joining(host, action -> { });
      assertThat(joined.customers().get(a.target().id())).as("the host's snapshot is taken").isPresent();
      joined.customers().create(CustomerDraft.builder().fullName("Written by the host").build());
      a.admin().customers().update(a.target().id(), company("Changed meanwhile"));
      Map<String, Long> before = rows();

      assertThatThrownBy(() -> joined.customers().update(a.target().id(), company("Changed by the host")))
          .isInstanceOf(RetryableException.class).satisfies(e -> assertThat(sqlState(e)).isEqualTo("40001"));
      host.rollback();
      assertThat(rows()).isEqualTo(before);

      // The host does its transaction again, as the exception says it may.
      joined.customers().update(a.target().id(), company("Changed by the host"));
      host.commit();
    }
    assertThat(a.admin().customers().get(a.target().id())).get().extracting(c -> c.company().orElseThrow())
        .isEqualTo("Changed by the host");
  }

  @Test
  void aDeadlockFailsOneCallRetryablyAndTheOtherCommitsWhole() throws Exception {
    Tenant a = tenant();
    Customer other = a.admin().customers().create(CustomerDraft.builder().fullName("Other").build());
    CountDownLatch firstHolds = new CountDownLatch(1);
    CountDownLatch secondHolds = new CountDownLatch(1);
    CountDownLatch secondGoes = new CountDownLatch(1);
    Future<?> first = threads.submit(() -> a.admin().inTransaction(tx -> {
      tx.customers().update(a.target().id(), company("first"));
      firstHolds.countDown();
      secondHolds.await();
      return tx.customers().update(other.id(), company("first"));
    }));
    Future<?> second = threads.submit(() -> a.admin().inTransaction(tx -> {
      firstHolds.await();
      tx.customers().update(other.id(), company("second"));
      secondHolds.countDown();
      secondGoes.await();
      return tx.customers().update(a.target().id(), company("second"));
    }));
    Backends.await(t.admin(), RUNTIME, Backends.Backend::waitsForLock);
    secondGoes.countDown();
    List<Throwable> failures = new ArrayList<>();
    String winner = null;
    for (Map.Entry<String, Future<?>> call : Map.of("first", first, "second", second).entrySet()) {
      try {
        call.getValue().get(60, TimeUnit.SECONDS);
        winner = call.getKey();
      } catch (ExecutionException e) {
        failures.add(e.getCause());
      }
    }
    assertThat(failures).singleElement().isInstanceOf(RetryableException.class)
        .satisfies(e -> assertThat(sqlState(e)).isEqualTo("40P01"));
    String won = winner;
    assertThat(List.of(a.target().id(), other.id())).as("both rows as the winner left them")
        .allSatisfy(id -> assertThat(a.admin().customers().get(id)).get()
            .extracting(c -> c.company().orElseThrow()).isEqualTo(won));
  }

  @Test
  void anExhaustedPoolIsRetryableAndTheCallsAfterItWork() throws Exception {
    Tenant a = tenant();
    try (HikariDataSource pool = pool(1, config -> config.setConnectionTimeout(250));
        Crm small = Crm.builder().dataSource(pool).migrationDataSource(t.admin()).build()) {
      TenantScope admin = small.tenant(a.org().organization().id()).as(a.org().admin().id());
      Future<Customer> holding;
      try (Connection lock = lockCustomer(a.target().id())) {
        holding = threads.submit(() -> admin.customers().update(a.target().id(), company("Held the connection")));
        Backends.await(t.admin(), RUNTIME, Backends.Backend::waitsForLock);
        Map<String, Long> before = rows();
        assertThatThrownBy(() -> admin.customers().create(CustomerDraft.builder().fullName("No connection").build()))
            .isInstanceOf(RetryableException.class).hasMessageContaining("cannot get a database connection")
            .hasCauseInstanceOf(SQLTransientConnectionException.class);
        assertThat(rows()).isEqualTo(before);
      }
      assertThat(holding.get(60, TimeUnit.SECONDS).company()).contains("Held the connection");
      assertThat(admin.customers().create(CustomerDraft.builder().fullName("A connection again").build())).isNotNull();
    }
  }

  /** A call whose COMMIT is in flight: a plain one, or a module's last statement sent with its COMMIT. */
  private static Callable<Object> committing(Tenant a, String how) {
    return switch (how) {
      case "commit" -> () -> a.admin().inTransaction(tx -> tx.customers().create(
          CustomerDraft.builder().fullName("Commit waits").build()));
      case "queryAndCommit" -> () -> TenantWork.call(a.admin(), tx -> tx.queryAndCommit(ProbeMapper.class,
          "insertStage", Map.of("name", "Commit waits", "divisor", 1)));
      default -> throw new IllegalArgumentException(how);
    };
  }

  @ParameterizedTest(name = "sent by {0}")
  @ValueSource(strings = {"commit", "queryAndCommit"})
  void aSessionLostWhileTheCommitIsInFlightIsCommitOutcomeUnknown(String how) throws Exception {
    Tenant a = tenant();
    Map<String, Long> before = rows();
    Future<?> call;
    try (Connection lock = lockAdvisory(AT_COMMIT)) {
      call = threads.submit(committing(a, how));
      Backends.Backend atCommit = Backends.await(t.admin(), RUNTIME, b -> b.waitsForLock()
          && b.waitEvent().equals("advisory"));
      assertThat(atCommit.query()).as("waiting inside the COMMIT").endsWith("COMMIT");
      Backends.terminate(t.admin(), atCommit.pid());
    }
    assertThat(failure(call)).isInstanceOf(CommitOutcomeUnknownException.class)
        .hasMessageContaining("whether it committed is unknown")
        .satisfies(e -> assertThat(sqlState(e)).matches("57P01|08006"));
    assertThat(rows()).as("here the server had not committed when it ended the session").isEqualTo(before);
    assertThat(a.admin().customers().create(CustomerDraft.builder().fullName("Committed").build())).isNotNull();
  }

  private static HikariDataSource pool(int size, java.util.function.Consumer<HikariConfig> customize) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(t.runtime());
    config.setMaximumPoolSize(size);
    customize.accept(config);
    return new HikariDataSource(config);
  }
}
