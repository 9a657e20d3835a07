package io.crmkit.ticketing.internal;

import io.crmkit.core.spi.ModuleContext;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.ticketing.TicketService;
import io.crmkit.ticketing.spi.ConversationLinks;
import io.crmkit.ticketing.spi.TicketReplyChannel;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What {@link io.crmkit.ticketing.TicketingModule} puts on a Crm: its mappers, the tenant service
 * {@link TicketService} with the hooks a bridge module offers, and its part in customer merges.
 */
public final class TicketingInstallation {
  private TicketingInstallation() {}

  /** The module's mapper interfaces, each with its XML beside it. */
  public static List<Class<?>> mappers() {
    return List.of(TicketMapper.class, TicketCommentMapper.class, TicketSettingsMapper.class);
  }

  /**
   * Registers {@link TicketService} for every scope. The hooks are read when a service is made,
   * once the Crm is built and every module has offered its extensions.
   */
  public static void install(ModuleContext context) {
    context.tenantService(TicketService.class, scope -> new Tickets(scope, hooks(context)));
  }

  /** The duplicate's tickets now belong to the survivor. */
  public static void mergeCustomers(TenantTransaction tx, UUID survivor, UUID duplicate) {
    tx.mapper(TicketMapper.class).moveToCustomer(tx.organizationId(), survivor, duplicate);
  }

  /** The first implementation offered of each hook, in module order. */
  private static TicketingHooks hooks(ModuleContext context) {
    return new TicketingHooks(first(context.extensions(ConversationLinks.class)),
        first(context.extensions(TicketReplyChannel.class)));
  }

  private static <T> Optional<T> first(List<T> offered) {
    return offered.isEmpty() ? Optional.empty() : Optional.of(offered.get(0));
  }
}
