package io.crmkit.whatsapp.internal;

import io.crmkit.core.spi.CrmModule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/** crm-whatsapp as a module: its tables after core's (profiles, routing, contacts, conversations, messages). */
public final class WhatsAppModule implements CrmModule {
  @Override
  public String name() {
    return "whatsapp";
  }

  @Override
  public List<String> dependsOn() {
    return List.of("core");
  }

  /** The duplicate's WhatsApp contacts and conversations now belong to the survivor. */
  @Override
  public void mergeCustomers(Connection connection, String schema, UUID organizationId, UUID survivor, UUID duplicate)
      throws SQLException {
    String quoted = "\"" + schema.replace("\"", "\"\"") + "\"";
    for (String table : List.of("whatsapp_contacts", "conversations")) {
      try (PreparedStatement ps = connection.prepareStatement("update " + quoted + "." + table
          + " set customer_id = ? where organization_id = ? and customer_id = ?")) {
        ps.setObject(1, survivor);
        ps.setObject(2, organizationId);
        ps.setObject(3, duplicate);
        ps.executeUpdate();
      }
    }
  }
}
