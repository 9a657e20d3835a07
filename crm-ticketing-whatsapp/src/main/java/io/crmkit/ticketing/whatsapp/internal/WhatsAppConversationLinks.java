package io.crmkit.ticketing.whatsapp.internal;

import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.ticketing.spi.ConversationLinks;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/** Tickets' links to WhatsApp conversations: the conversation must be the organization's; its customer comes along. */
public final class WhatsAppConversationLinks implements ConversationLinks {
  @Override
  public Optional<UUID> customerOf(TenantTransaction tx, UUID conversationId) throws SQLException {
    try (PreparedStatement ps = tx.connection().prepareStatement("select customer_id from "
        + tx.table("conversations") + " where organization_id = ? and id = ?")) {
      ps.setObject(1, tx.organizationId());
      ps.setObject(2, conversationId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new NotFoundException("conversation", conversationId);
        }
        return Optional.ofNullable(rs.getObject(1, UUID.class));
      }
    }
  }
}
