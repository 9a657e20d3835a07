package io.crmkit.ticketing.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.core.Page;
import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Keyset;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.ticketing.CommentDraft;
import io.crmkit.ticketing.Ticket;
import io.crmkit.ticketing.TicketComment;
import io.crmkit.ticketing.spi.TicketReplyChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Public replies and internal notes: a public reply stops the first-response clock, one for the
 * customer also goes out through the {@link TicketReplyChannel} a bridge offers, in the comment's
 * transaction; an internal note's text never leaves the ticket (the timeline says only that there
 * is one). Comments are read oldest first, by keyset.
 */
final class TicketComments {
  private TicketComments() {}

  static TicketComment comment(TenantScope scope, Optional<TicketReplyChannel> replies, UUID ticketId,
      CommentDraft draft) {
    Objects.requireNonNull(ticketId, "ticketId");
    Objects.requireNonNull(draft, "draft");
    String body = TicketInputs.body(draft.body());
    JsonNode attachments = TicketInputs.attachments(draft.attachments());
    if (draft.sendToCustomer()) {
      // What the channel cannot carry is refused before the transaction, like every bad input.
      replies.ifPresent(channel -> channel.check(body));
    }
    return TenantWork.call(scope, tx -> {
      tx.requireRoleUnlessSystem("tickets.comment", Tickets.AGENTS);
      // Not locked: a comment only appends. Sending to WhatsApp locks the conversation, then (its
      // trigger) the ticket, the order an agent's own reply takes, so the two never deadlock.
      Ticket ticket = Tickets.find(tx, ticketId).orElseThrow(() -> new NotFoundException("ticket", ticketId));
      if (draft.sendToCustomer()) {
        if (ticket.conversationId().isEmpty()) {
          throw new ValidationException("sendToCustomer", "ticket " + ticket.number() + " has no conversation");
        }
        if (replies.isEmpty()) {
          throw new ValidationException("sendToCustomer", "no module offers a reply channel to the customer"
              + " (crm-ticketing-whatsapp, with crm-whatsapp, offers the WhatsApp one)");
        }
      }
      TicketComment comment = tx.mapper(TicketCommentMapper.class).insert(tx.organizationId(), ticketId,
          Tickets.member(tx).orElse(null), body, draft.internal(), attachments, tx.now()).toComment();
      if (draft.sendToCustomer()) {
        replies.get().send(tx, ticket, comment);
      }
      if (!draft.internal()) {
        tx.mapper(TicketMapper.class).markAnswered(tx.organizationId(), ticketId, tx.now());
      }
      if (ticket.customerId().isPresent()) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("ticket_id", ticketId.toString());
        metadata.put("comment_id", comment.id().toString());
        tx.scope().customers().logActivity(ticket.customerId().get(), draft.internal() ? "ticket_note" : "ticket_reply",
            Optional.of(draft.internal() ? ticket.number() + ": internal note" : ticket.number() + ": " + preview(body)),
            metadata);
      }
      return comment;
    });
  }

  static Page<TicketComment> comments(TenantScope scope, UUID ticketId, boolean includeInternal, int limit,
      Optional<String> cursor) {
    Objects.requireNonNull(ticketId, "ticketId");
    TicketInputs.limit(limit, 200);
    Keyset after = Objects.requireNonNull(cursor, "cursor").map(Keyset::decode).orElse(null);
    return TenantWork.call(scope, tx -> {
      if (Tickets.find(tx, ticketId).isEmpty()) {
        throw new NotFoundException("ticket", ticketId);
      }
      List<TicketComment> rows = tx.mapper(TicketCommentMapper.class).page(tx.organizationId(), ticketId,
          includeInternal, after == null ? null : after.at(), after == null ? null : after.id(), limit + 1).stream()
          .map(TicketRows.CommentRow::toComment).toList();
      return Keyset.page(rows, limit, c -> new Keyset(c.createdAt(), c.id()));
    });
  }

  private static String preview(String body) {
    return body.length() > 200 ? body.substring(0, 199) + "…" : body;
  }
}
