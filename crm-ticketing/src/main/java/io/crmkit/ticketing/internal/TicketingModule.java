package io.crmkit.ticketing.internal;

import io.crmkit.core.spi.CrmModule;
import io.crmkit.core.spi.TenantTransaction;
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

  @Override
  public List<Class<?>> mappers() {
    return List.of(TicketMapper.class, TicketCommentMapper.class, TicketSettingsMapper.class);
  }

  /** The duplicate's tickets now belong to the survivor. */
  @Override
  public void mergeCustomers(TenantTransaction tx, UUID survivor, UUID duplicate) {
    tx.mapper(TicketMapper.class).moveToCustomer(tx.organizationId(), survivor, duplicate);
  }
}
