package io.crmkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.crmkit.core.Crm;
import io.crmkit.testdb.Jdbc;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import java.sql.Connection;
import org.junit.jupiter.api.Test;

/** Platform work runs as the owner role, and only for its own transaction. */
class OwnerTransactionTest {

  @Test
  void platformWorkActsAsTheOwnerAndThePooledConnectionGoesBackAsItCame() throws Exception {
    HikariConfig config = new HikariConfig();
    try (TestDatabase database = TestPostgres.shared().createDatabase()) {
      try (Crm migrating = Crm.builder().dataSource(database.runtimeDataSource())
          .migrationDataSource(database.adminDataSource()).build()) {
        migrating.migrate();
      }
      config.setDataSource(database.adminDataSource());
      // One connection, so the one the platform used is the one read afterwards.
      config.setMaximumPoolSize(1);
      config.setPoolName("owner-test");
      try (HikariDataSource admin = new HikariDataSource(config);
          Crm crm = Crm.builder().dataSource(database.runtimeDataSource()).migrationDataSource(admin).build()) {
        String login;
        try (Connection c = admin.getConnection()) {
          login = Jdbc.rows(c, "select current_user").get(0);
        }
        String during = CrmAccess.runtime(crm).asOwner(tx -> tx.mapper(TenantMapper.class).currentUser());
        assertThat(during).isEqualTo("crm_owner");
        try (Connection c = admin.getConnection()) {
          assertThat(Jdbc.rows(c, "select current_user")).as("SET LOCAL ended with the transaction")
              .containsExactly(login).doesNotContain("crm_owner");
        }
      }
    }
  }
}
