package io.crmkit.ticketing.whatsapp.internal;

import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.ticketing.Ticket;
import io.crmkit.ticketing.TicketComment;
import io.crmkit.ticketing.spi.TicketReplyChannel;
import io.crmkit.whatsapp.WhatsAppInbox;
import java.util.UUID;

/**
 * Sends a ticket's public replies to the customer in the ticket's WhatsApp conversation, as a reply
 * of the WhatsApp inbox in the comment's own transaction: committed with the comment as
 * {@code pending}, sent after the commit, under the inbox's rules (the 24-hour window, the daily
 * limit). Outside the window the comment is refused with
 * {@link io.crmkit.whatsapp.CustomerWindowClosedException} and nothing is stored; send a template
 * from the inbox instead. Attachments stay on the ticket.
 */
public final class WhatsAppTicketReplies implements TicketReplyChannel {
  /** The longest text WhatsApp sends (the inbox's sendText); a comment may be longer. */
  private static final int MAX_TEXT = 4096;

  /** A comment longer than WhatsApp's text is refused before anything is stored. */
  @Override
  public void check(String body) {
    if (body.length() > MAX_TEXT) {
      throw new ValidationException("body", "a reply sent to the customer on WhatsApp is at most " + MAX_TEXT
          + " characters");
    }
  }

  @Override
  public void send(TenantTransaction tx, Ticket ticket, TicketComment reply) {
    UUID conversationId = ticket.conversationId().orElseThrow(() -> new IllegalArgumentException(
        "ticket " + ticket.number() + " has no conversation"));
    tx.scope().service(WhatsAppInbox.class).sendText(conversationId, reply.body());
  }
}
