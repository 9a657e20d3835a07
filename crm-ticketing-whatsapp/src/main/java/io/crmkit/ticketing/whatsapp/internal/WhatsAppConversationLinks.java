package io.crmkit.ticketing.whatsapp.internal;

import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.ticketing.spi.ConversationLinks;
import java.util.Optional;
import java.util.UUID;

/** Tickets' links to WhatsApp conversations: the conversation must be the organization's; its customer comes along. */
public final class WhatsAppConversationLinks implements ConversationLinks {
  @Override
  public Optional<UUID> customerOf(TenantTransaction tx, UUID conversationId) {
    BridgeMapper.Conversation conversation = tx.mapper(BridgeMapper.class).conversation(tx.organizationId(),
        conversationId);
    if (conversation == null) {
      throw new NotFoundException("conversation", conversationId);
    }
    return Optional.ofNullable(conversation.customerId());
  }
}
