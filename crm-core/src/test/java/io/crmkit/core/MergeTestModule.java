package io.crmkit.core;

import io.crmkit.core.spi.CrmModule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * A module as a later one (tickets, conversations) would be: its table points at customers, and
 * its merge hook moves the duplicate's rows. Found through {@code mergetest-services/} only, by
 * {@link CustomerMergeSpiTest}'s class loader; {@link #failNextMerge} makes the hook fail once.
 */
public final class MergeTestModule implements CrmModule {
  static volatile boolean failNextMerge;

  @Override
  public String name() {
    return "mergetest";
  }

  @Override
  public List<String> dependsOn() {
    return List.of("core");
  }

  @Override
  public void mergeCustomers(Connection connection, String schema, UUID organizationId, UUID survivor, UUID duplicate)
      throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("update " + schema + ".mergetest_deals set customer_id = ?"
        + " where organization_id = ? and customer_id = ?")) {
      ps.setObject(1, survivor);
      ps.setObject(2, organizationId);
      ps.setObject(3, duplicate);
      ps.executeUpdate();
    }
    if (failNextMerge) {
      failNextMerge = false;
      throw new SQLException("the module refuses this merge", "P0001");
    }
  }
}
