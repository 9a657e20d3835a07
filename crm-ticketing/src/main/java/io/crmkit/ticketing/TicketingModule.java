package io.crmkit.ticketing;

import io.crmkit.core.spi.CrmModule;
import io.crmkit.core.spi.ModuleContext;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.ticketing.internal.TicketingInstallation;
import java.util.List;
import java.util.UUID;

/**
 * crm-ticketing as a module of a {@link io.crmkit.core.Crm}: found on the class path (it has no
 * settings), it migrates its tables after core's and offers each organization's
 * {@link TicketService}, reached from the scope.
 *
 * <pre>{@code
 * Crm crm = Crm.builder().dataSource(runtime).migrationDataSource(admin).build(); // finds this module
 * TenantScope acme = crm.tenant(orgId).as(userId);
 * Ticket ticket = acme.service(TicketService.class)
 *     .open(TicketDraft.builder("Refund for A-1042").customer(customerId).build());
 * acme.inTransaction(tx -> tx.service(TicketService.class).comment(ticket.id(), CommentDraft.publicReply("On it")));
 * }</pre>
 *
 * <p>A bridge module (crm-ticketing-whatsapp) extends it by offering, during its own
 * {@link CrmModule#install}, the extension points {@link io.crmkit.ticketing.spi.ConversationLinks}
 * (tickets opened from a conversation) and {@link io.crmkit.ticketing.spi.TicketReplyChannel}
 * (public replies sent to the customer) with {@link ModuleContext#extension}. Without one, both are
 * refused with a {@link io.crmkit.core.exception.ValidationException} naming the field.
 */
public final class TicketingModule implements CrmModule {

  /** The module; {@code Crm} finds it with {@link java.util.ServiceLoader}. */
  public TicketingModule() {}

  /** {@code "ticketing"}. */
  @Override
  public String name() {
    return "ticketing";
  }

  /** Core: tickets reference organizations, customers and users. */
  @Override
  public List<String> dependsOn() {
    return List.of("core");
  }

  /** The mappers of tickets, comments and settings. */
  @Override
  public List<Class<?>> mappers() {
    return TicketingInstallation.mappers();
  }

  /** Registers {@link TicketService} as a tenant service: {@code scope.service(TicketService.class)}. */
  @Override
  public void install(ModuleContext context) {
    TicketingInstallation.install(context);
  }

  /** The duplicate's tickets now belong to the survivor. */
  @Override
  public void mergeCustomers(TenantTransaction tx, UUID survivor, UUID duplicate) {
    TicketingInstallation.mergeCustomers(tx, survivor, duplicate);
  }
}
