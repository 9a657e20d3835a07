package io.crmkit.ticketing.whatsapp;

import io.crmkit.core.spi.CrmModule;
import io.crmkit.core.spi.ModuleContext;
import io.crmkit.ticketing.spi.ConversationLinks;
import io.crmkit.ticketing.spi.TicketReplyChannel;
import io.crmkit.ticketing.whatsapp.internal.BridgeMapper;
import io.crmkit.ticketing.whatsapp.internal.WhatsAppConversationLinks;
import io.crmkit.ticketing.whatsapp.internal.WhatsAppTicketReplies;
import java.util.List;

/**
 * The bridge between crm-ticketing and crm-whatsapp as a module: found on the class path and
 * installed by itself when a host has both (nothing to configure). Its migration adds the foreign
 * key from tickets to WhatsApp conversations and the trigger by which an agent's WhatsApp reply
 * stops the conversation's tickets' first-response clocks; its install offers crm-ticketing's two
 * extension points: tickets open from a conversation with its customer, and a ticket's public
 * reply goes to the customer as a WhatsApp reply.
 */
public final class TicketingWhatsAppModule implements CrmModule {
  /** The module; ServiceLoader makes it, hosts never need to. */
  public TicketingWhatsAppModule() {}

  /** {@code ticketing_whatsapp}, also its migration folder. */
  @Override
  public String name() {
    return "ticketing_whatsapp";
  }

  /** crm-ticketing and crm-whatsapp, whose tables its migration links. */
  @Override
  public List<String> dependsOn() {
    return List.of("ticketing", "whatsapp");
  }

  /** The bridge's one query, a conversation's customer. */
  @Override
  public List<Class<?>> mappers() {
    return List.of(BridgeMapper.class);
  }

  /** Offers crm-ticketing's two extension points, implemented on crm-whatsapp's services. */
  @Override
  public void install(ModuleContext context) {
    context.extension(ConversationLinks.class, new WhatsAppConversationLinks());
    context.extension(TicketReplyChannel.class, new WhatsAppTicketReplies());
  }
}
