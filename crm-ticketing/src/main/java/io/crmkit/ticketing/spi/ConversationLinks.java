package io.crmkit.ticketing.spi;

import io.crmkit.core.spi.TenantTransaction;
import java.util.Optional;
import java.util.UUID;

/**
 * How a ticket links to a conversation of another module (crm-ticketing-whatsapp provides the
 * WhatsApp one). Found with {@link java.util.ServiceLoader}; without one, opening a ticket from a
 * conversation is refused with a clear error.
 */
public interface ConversationLinks {

  /**
   * The customer of the organization's conversation {@code conversationId}, in the ticket's
   * transaction; empty if the conversation has none.
   *
   * @throws io.crmkit.core.exception.NotFoundException if the organization has no such conversation
   */
  Optional<UUID> customerOf(TenantTransaction tx, UUID conversationId) throws java.sql.SQLException;
}
