package io.crmkit.ticketing.spi;

import io.crmkit.core.spi.TenantTransaction;
import java.util.Optional;
import java.util.UUID;

/**
 * How a ticket links to a conversation of another module: an extension point a bridge module
 * offers with {@code context.extension(ConversationLinks.class, …)} in its install
 * (crm-ticketing-whatsapp offers the WhatsApp one). Without one, opening a ticket from a
 * conversation is refused with a {@link io.crmkit.core.exception.ValidationException} on
 * {@code conversationId}; with several, the first module's is used.
 */
public interface ConversationLinks {

  /**
   * The customer of the organization's conversation {@code conversationId}, in the ticket's
   * transaction; empty if the conversation has none.
   *
   * @throws io.crmkit.core.exception.NotFoundException if the organization has no such conversation
   */
  Optional<UUID> customerOf(TenantTransaction tx, UUID conversationId);
}
