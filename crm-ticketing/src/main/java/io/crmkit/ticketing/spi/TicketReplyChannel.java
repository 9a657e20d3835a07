package io.crmkit.ticketing.spi;

import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.ticketing.Ticket;
import io.crmkit.ticketing.TicketComment;

/**
 * Sends a ticket's public reply to the customer in the ticket's conversation: an extension point a
 * bridge module offers with {@code context.extension(TicketReplyChannel.class, …)} in its install
 * (crm-ticketing-whatsapp offers the WhatsApp one). Called in the comment's transaction, so what it
 * stores commits or rolls back with the comment, and an exception it throws stores no comment; a
 * channel that talks to a provider does so only after the commit. Without one, a reply
 * {@linkplain io.crmkit.ticketing.CommentDraft#sentToCustomer() sent to the customer} is refused with
 * a {@link io.crmkit.core.exception.ValidationException} on {@code sendToCustomer}; with several,
 * the first module's is used.
 */
@FunctionalInterface
public interface TicketReplyChannel {

  /** Sends {@code reply}, a public comment on {@code ticket}, which has a conversation. */
  void send(TenantTransaction tx, Ticket ticket, TicketComment reply);

  /**
   * Refuses a reply's body this channel cannot carry (WhatsApp's text is shorter than a comment,
   * say) with a {@link io.crmkit.core.exception.ValidationException} on {@code body}: called before
   * the comment's transaction, so nothing runs or is stored. The default takes every body.
   *
   * @param body the body, already checked as every comment's
   */
  default void check(String body) {}
}
