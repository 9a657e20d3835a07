package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.exception.LimitExceededException;
import io.crmkit.core.exception.TenantContextException;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.users.Role;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seats and the last-admin rule count rows under the organization's lock, which is only right at
 * READ COMMITTED: a REPEATABLE READ snapshot taken before the lock would count stale rows. Here the
 * runtime role defaults to REPEATABLE READ in this database, as a host's configuration might set it.
 */
class IsolationTest {
  private static TestCrm t;
  private static com.zaxxer.hikari.HikariDataSource pool;
  private static Crm crm;

  @BeforeAll
  static void setUp() {
    t = TestCrm.start();
    t.executeAsAdmin("ALTER ROLE crm_app IN DATABASE " + t.database.name()
        + " SET default_transaction_isolation = 'repeatable read'");
    // A pool started now takes REPEATABLE READ as its connections' default.
    com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
    config.setDataSource(t.runtime());
    config.setMaximumPoolSize(8);
    pool = new com.zaxxer.hikari.HikariDataSource(config);
    crm = Crm.builder().dataSource(pool).migrationDataSource(t.admin()).build();
  }

  @AfterAll
  static void tearDown() {
    pool.close();
    t.close();
  }

  @Test
  void seatsHoldWhenTheConnectionDefaultsToRepeatableRead() throws Exception {
    assertThat(isolationOfAFreshConnection()).isEqualTo("repeatable read");
    ProvisionedOrganization org = t.provision("free");
    TenantScope admin = crm.tenant(org.organization().id()).as(org.admin().id());
    ExecutorService threads = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> results = new ArrayList<>();
    try {
      for (int i = 0; i < 16; i++) {
        String email = "rr" + i + "@example.com";
        results.add(threads.submit(() -> {
          start.await();
          try {
            admin.users().invite(email, Role.AGENT);
            return true;
          } catch (LimitExceededException e) {
            return false;
          }
        }));
      }
      start.countDown();
      int invited = 0;
      for (Future<Boolean> result : results) {
        invited += result.get() ? 1 : 0;
      }
      assertThat(invited).isEqualTo(2);
    } finally {
      threads.shutdown();
    }
    try (Connection c = pool.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("show transaction_isolation")) {
      rs.next();
      assertThat(rs.getString(1)).as("the pooled connection goes back with its own default").isEqualTo("repeatable read");
    }
  }

  @Test
  void aHostTransactionAtRepeatableReadIsRefused() throws SQLException {
    ProvisionedOrganization org = t.provision();
    try (Connection host = t.runtime().getConnection()) {
      host.setAutoCommit(false);
      TenantScope admin = crm.tenant(org.organization().id()).as(org.admin().id());
      assertThatThrownBy(() -> admin.joining(host, action -> {}).users().list())
          .isInstanceOf(TenantContextException.class).hasMessageContaining("REPEATABLE READ");
      host.rollback();
      host.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
      assertThat(admin.joining(host, action -> {}).users().list()).as("SERIALIZABLE fails safely").hasSize(1);
      host.commit();
    }
  }

  private static String isolationOfAFreshConnection() throws SQLException {
    try (Connection c = t.runtime().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("show transaction_isolation")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
