package io.crmkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class CloseTest {

  @Test
  void closeDropsTheDatabase() throws SQLException {
    try (CrmTestKit observer = CrmTestKit.start()) {
      CrmTestKit kit = CrmTestKit.start();
      kit.provisionOrganization("acme");
      String name = currentDatabase(kit.adminDataSource());
      assertThat(databaseExists(observer.adminDataSource(), name)).as("database before close").isTrue();

      kit.close();

      assertThat(databaseExists(observer.adminDataSource(), name)).as("database after close").isFalse();
      assertThatThrownBy(() -> kit.runtimeDataSource().getConnection()).as("runtime pool after close")
          .isInstanceOf(SQLException.class);
    }
  }

  @Test
  void closeTwiceIsHarmless() {
    CrmTestKit kit = CrmTestKit.start();
    kit.close();
    assertThatCode(kit::close).doesNotThrowAnyException();
  }

  private static String currentDatabase(DataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select current_database()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static boolean databaseExists(DataSource dataSource, String name) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("select exists (select 1 from pg_database where datname = ?)")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }
}
