package io.crmkit.whatsapp.internal;

import io.crmkit.core.exception.CrmException;
import io.crmkit.core.spi.CrmModule;
import io.crmkit.core.spi.TenantTransaction;
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

  @Override
  public List<Class<?>> mappers() {
    return List.of(EventMapper.class);
  }

  /** The duplicate's WhatsApp contacts and conversations now belong to the survivor. */
  @Override
  public void mergeCustomers(TenantTransaction tx, UUID survivor, UUID duplicate) {
    try {
      for (String table : List.of("whatsapp_contacts", "conversations")) {
        tx.update("update " + tx.table(table) + " set customer_id = ? where organization_id = ? and customer_id = ?",
            survivor, tx.organizationId(), duplicate);
      }
    } catch (SQLException e) {
      throw new CrmException("moving the WhatsApp contacts of a merged customer failed", e);
    }
  }
}
