package io.crmkit.core.internal;

import io.crmkit.core.spi.CrmModule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/** crm-core as a module: organizations, users, invitations, plans, counters. */
public final class CoreModule implements CrmModule {
  @Override
  public String name() {
    return "core";
  }

  @Override
  public List<String> dependsOn() {
    return List.of();
  }

  /** A new organization gets the seed's six pipeline stages, Lead the default. */
  @Override
  public void provision(Connection connection, String schema, UUID organizationId) throws SQLException {
    String table = CrmRuntime.quote(schema);
    try (PreparedStatement ps = connection.prepareStatement("insert into " + table + ".sales_stages"
        + " (organization_id, name, display_order, color, probability, is_default)"
        + " select ?, d.name, d.display_order, d.color, d.probability, d.is_default"
        + " from " + table + ".default_sales_stages() d")) {
      ps.setObject(1, organizationId);
      ps.executeUpdate();
    }
  }
}
