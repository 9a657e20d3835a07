package io.crmkit.ticketing.internal;

import io.crmkit.core.exception.CrmException;
import io.crmkit.core.spi.CrmModule;
import io.crmkit.core.spi.TenantTransaction;
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
  public void mergeCustomers(TenantTransaction tx, UUID survivor, UUID duplicate) {
    try {
      tx.update("update " + tx.table("tickets") + " set customer_id = ? where organization_id = ? and customer_id = ?",
          survivor, tx.organizationId(), duplicate);
    } catch (SQLException e) {
      throw new CrmException("moving the tickets of a merged customer failed", e);
    }
  }
}
