package io.crmkit.ticketing.spi;

import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.ticketing.Ticket;
import io.crmkit.ticketing.TicketComment;

/**
 * Sends a ticket's public reply to the customer in the ticket's conversation. Called in the
 * comment's transaction (so what it stores commits or rolls back with the comment); a channel
 * that talks to a provider does so only after the commit. crm-ticketing-whatsapp provides the
 * WhatsApp channel; the host gives it to {@link io.crmkit.ticketing.Ticketing.Builder#replyChannel}.
 */
@FunctionalInterface
public interface TicketReplyChannel {

  /** Sends {@code reply}, a public comment on {@code ticket}, which has a conversation. */
  void send(TenantTransaction tx, Ticket ticket, TicketComment reply) throws java.sql.SQLException;
}
