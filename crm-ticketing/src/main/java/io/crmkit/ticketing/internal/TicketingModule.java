package io.crmkit.ticketing.internal;

import io.crmkit.core.spi.CrmModule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/** crm-ticketing as a module: its tables after core's (settings, SLA targets, counters, tickets, comments). */
public final class TicketingModule implements CrmModule {
  @Override
  public String name() {
    return "ticketing";
  }

  @Override
  public List<String> dependsOn() {
    return List.of("core");
  }

  /** The duplicate's tickets now belong to the survivor. */
  @Override
  public void mergeCustomers(Connection connection, String schema, UUID organizationId, UUID survivor, UUID duplicate)
      throws SQLException {
    String quoted = "\"" + schema.replace("\"", "\"\"") + "\"";
    try (PreparedStatement ps = connection.prepareStatement("update " + quoted + ".tickets set customer_id = ?"
        + " where organization_id = ? and customer_id = ?")) {
      ps.setObject(1, survivor);
      ps.setObject(2, organizationId);
      ps.setObject(3, duplicate);
      ps.executeUpdate();
    }
  }
}
