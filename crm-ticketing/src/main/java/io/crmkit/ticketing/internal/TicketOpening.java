package io.crmkit.ticketing.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.ticketing.Ticket;
import io.crmkit.ticketing.TicketDraft;
import io.crmkit.ticketing.spi.ConversationLinks;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Opening a ticket: its draft checked, its customer (or its conversation's, through the
 * {@link ConversationLinks} a bridge offers) and assignee found, the customer's activity logged,
 * then numbered and inserted by {@link TicketNumbering}. Tried first with the numbering statement
 * sent with its COMMIT; a statement that numbered nothing rolled the whole open back, and it is
 * redone in a transaction that creates the period's counter row or reports the month's limit.
 */
final class TicketOpening {
  private TicketOpening() {}

  /** The draft's values as checked, before any SQL. */
  private record Checked(TicketDraft draft, UUID id, String title, String description, List<String> tags,
      JsonNode customFields) {}

  static Ticket open(TenantScope scope, Optional<ConversationLinks> links, TicketDraft draft) {
    Objects.requireNonNull(draft, "draft");
    Checked checked = new Checked(draft, draft.id().orElseGet(UUID::randomUUID), TicketInputs.title(draft.title()),
        draft.description().flatMap(TicketInputs::description).orElse(null), TicketInputs.tags(draft.tags()),
        TicketInputs.customFields(draft.customFields()));
    try {
      return TenantWork.call(scope, tx -> open(tx, links, checked, true));
    } catch (TicketNumbering.NotNumbered e) {
      // Rolled back whole: the month's limit refused the ticket, or the period has no counter row
      // yet (its first ticket). The long way tells the first from the second and creates the row.
      return TenantWork.call(scope, tx -> open(tx, links, checked, false));
    }
  }

  /**
   * Opens the ticket in {@code tx}. With {@code inline} and a transaction that commits as the call
   * returns, the numbering statement goes with the COMMIT.
   */
  private static Ticket open(TenantTransaction tx, Optional<ConversationLinks> links, Checked checked, boolean inline)
      throws SQLException {
    TicketDraft draft = checked.draft();
    tx.requireRoleUnlessSystem("tickets.open", Tickets.AGENTS);
    TicketSettingsStore.OpenContext context = TicketSettingsStore.OpenContext.read(tx, draft.priority());
    if (!context.ticketing()) {
      // Refused with the plan's name; the check is read again, so a plan changed meanwhile counts.
      tx.scope().entitlements().requireFeature("ticketing", "tickets.open");
    }
    Optional<UUID> customer = customer(tx, links, draft);
    if (customer.isPresent() && !tx.mapper(TicketMapper.class).customerExists(tx.organizationId(), customer.get())) {
      throw new NotFoundException("customer", customer.get());
    }
    if (draft.assignee().isPresent()) {
      Tickets.requireActiveMember(tx, draft.assignee().get());
    }
    Instant now = tx.now();
    if (customer.isPresent()) {
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("ticket_id", checked.id().toString());
      metadata.put("priority", draft.priority().databaseName());
      tx.scope().customers().logActivity(customer.get(), "ticket_opened", Optional.of(checked.title()), metadata);
    }
    // The organization's two hot rows (the month's count and the number) are taken by the last
    // statement, which also inserts the ticket: held from there to the commit only.
    String period = context.period(now);
    TicketNumbering.Written written = TicketNumbering.Written.of(context.format(), period);
    TicketMapper.Numbering numbering = new TicketMapper.Numbering(true, tx.organizationId(),
        TicketNumbering.OPENED_METRIC, context.month(now), Limit.TICKETS_PER_MONTH.column(), period, checked.id(),
        written.prefix(), written.width(), written.suffix(), customer.orElse(null),
        draft.conversationId().orElse(null), checked.title(), checked.description(), draft.type(), draft.priority(),
        draft.assignee().orElse(null), Tickets.member(tx).orElse(null), checked.tags(), checked.customFields(),
        TicketSlas.due(now, context.target().firstResponse()), now, TicketSlas.due(now, context.target().resolution()));
    if (inline && tx.commitsOnReturn()) {
      return TicketNumbering.numberAndCommit(tx, context.format(), numbering);
    }
    return TicketNumbering.number(tx, context.format(), numbering);
  }

  /** The draft's customer, or its conversation's; a conversation needs a bridge's links. */
  private static Optional<UUID> customer(TenantTransaction tx, Optional<ConversationLinks> links, TicketDraft draft)
      throws SQLException {
    Optional<UUID> customer = draft.customerId();
    if (draft.conversationId().isEmpty()) {
      return customer;
    }
    if (links.isEmpty()) {
      throw new ValidationException("conversationId", "linking a ticket to a conversation needs"
          + " crm-ticketing-whatsapp (with crm-whatsapp) on the class path");
    }
    UUID conversation = draft.conversationId().get();
    Optional<UUID> ofConversation = links.get().customerOf(tx, conversation);
    if (customer.isPresent() && ofConversation.isPresent() && !customer.equals(ofConversation)) {
      throw new ValidationException("customerId", "is not the customer of conversation " + conversation);
    }
    return customer.or(() -> ofConversation);
  }
}
