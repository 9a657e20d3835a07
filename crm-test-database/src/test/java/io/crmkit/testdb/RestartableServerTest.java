package io.crmkit.testdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class RestartableServerTest {

  @Test
  void aStopEndsSessionsAndRefusesConnectionsAndAStartBringsTheSameDataBackOnTheSamePort() throws SQLException {
    try (RestartableServer server = RestartableServer.launch(); TestDatabase db = server.createDatabase()) {
      String url = db.jdbcUrl();
      try (Connection c = db.adminDataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("create table kept (id int primary key); insert into kept values (1)");
      }
      try (Connection c = db.runtimeDataSource().getConnection()) {
        assertThat(Jdbc.rows(c, "select current_user")).as("the roles of TestPostgres exist")
            .containsExactly(TestPostgres.RUNTIME_ROLE);
      }
      assertThat(TestPostgres.shared().serverVersionNumber() / 10000).as("the version of the tests' server")
          .isEqualTo(versionOf(db) / 10000);

      try (Connection open = db.adminDataSource().getConnection()) {
        server.stop();
        assertThatThrownBy(() -> open.createStatement().execute("select 1")).as("the session ended")
            .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).matches("57P01|08.*"));
      }
      assertThatThrownBy(() -> db.adminDataSource().getConnection()).as("refused while down")
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).startsWith("08"));

      server.start();
      assertThat(db.jdbcUrl()).isEqualTo(url);
      try (Connection c = db.adminDataSource().getConnection()) {
        assertThat(Jdbc.rows(c, "select id from kept")).containsExactly("1");
      }
    }
  }

  private static int versionOf(TestDatabase db) throws SQLException {
    try (Connection c = db.adminDataSource().getConnection()) {
      return Integer.parseInt(Jdbc.rows(c, "show server_version_num").get(0));
    }
  }
}
