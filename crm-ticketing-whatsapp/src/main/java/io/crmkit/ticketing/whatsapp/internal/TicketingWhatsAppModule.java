package io.crmkit.ticketing.whatsapp.internal;

import io.crmkit.core.spi.CrmModule;
import java.util.List;

/** The bridge as a module: its migration runs after crm-ticketing's and crm-whatsapp's. */
public final class TicketingWhatsAppModule implements CrmModule {
  @Override
  public String name() {
    return "ticketing_whatsapp";
  }

  @Override
  public List<String> dependsOn() {
    return List.of("ticketing", "whatsapp");
  }
}
