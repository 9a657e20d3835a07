package io.crmkit.ticketing;

import io.crmkit.core.Page;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An organization's tickets, a tenant service of {@link TicketingModule}: reached from a scope as
 * {@code scope.service(TicketService.class)}, acting as the scope's actor; inside
 * {@code scope.inTransaction(tx -> tx.service(TicketService.class)…)} its calls join that
 * transaction. Stateless and cheap to take. Members read; admins, managers and
 * agents open, change and comment; only admins force a status and change the settings. Each call
 * is one transaction (or joins the host's); every change of a ticket with a customer writes a
 * customer activity in the same transaction. Opens in one organization serialize on its counter
 * from the numbering statement to the commit: a call of its own sends that statement with its
 * COMMIT, while in a host's transaction the counter stays taken until the host commits (keep such
 * transactions short). In a host's SERIALIZABLE transaction a concurrent open fails with a
 * serialization error, which the host retries.
 *
 * <p>Bad input is a {@link io.crmkit.core.exception.ValidationException} naming the field, before
 * any SQL runs and with nothing changed (control characters and broken UTF-16 are refused; tabs and
 * line breaks only in descriptions and comments). A ticket that is not the organization's is a
 * {@link io.crmkit.core.exception.NotFoundException} for {@code ticket} (or an empty
 * {@link #get}), exactly as one that does not exist, for every call that names one.
 */
public interface TicketService {

  /**
   * Opens a ticket, numbered in the organization's format ({@code TICKET-2026-0001}): per
   * organization, consecutive and without gaps, safe under concurrency. Counts against
   * {@code max_tickets_per_month} (the organization's month), race-free.
   *
   * <p>A {@link io.crmkit.core.exception.CommitOutcomeUnknownException} means the connection
   * was lost while the call committed: the ticket may or may not exist. With an id chosen in the
   * draft ({@link TicketDraft.Builder#id}) the call can be repeated as it was: it opens the ticket,
   * or fails with a {@link io.crmkit.core.exception.ConflictException} if the first one went in.
   *
   * @throws io.crmkit.core.exception.ValidationException naming the field, for bad input, and on
   *     {@code conversationId} for a conversation in a Crm without a bridge that links them (nothing is stored)
   * @throws io.crmkit.core.exception.NotFoundException for a customer or conversation that is not the organization's
   * @throws io.crmkit.core.exception.LimitExceededException at {@code max_tickets_per_month}
   * @throws io.crmkit.core.exception.ForbiddenException for members
   * @throws io.crmkit.core.exception.FeatureNotInPlanException when the plan has no ticketing
   * @throws io.crmkit.core.exception.ConflictException for a draft's id that is already a ticket's (no number is taken)
   */
  Ticket open(TicketDraft draft);

  /** A ticket, if it is the organization's. */
  Optional<Ticket> get(UUID ticketId);

  /**
   * A ticket by its number, e.g. {@code TICKET-2026-0042}.
   *
   * @throws io.crmkit.core.exception.ValidationException on {@code number} for a blank one, one over 60
   *     characters or one holding control characters
   */
  Optional<Ticket> byNumber(String number);

  /**
   * Changes what {@code update} sets, if the ticket is still at {@code expectedVersion}.
   *
   * @throws StaleTicketException if someone changed it since (nothing is changed)
   * @throws io.crmkit.core.exception.ValidationException naming the field for a bad value, or on
   *     {@code expectedVersion} below 1
   * @throws io.crmkit.core.exception.NotFoundException if the ticket is not the organization's
   */
  Ticket update(UUID ticketId, long expectedVersion, TicketUpdate update);

  /**
   * Moves the ticket along the workflow ({@link TicketStatus#next()}), stamping or clearing
   * {@code resolvedAt} and {@code closedAt} and running the SLA clocks.
   *
   * @throws IllegalTransitionException for a move the workflow does not allow (nothing is changed)
   * @throws StaleTicketException if someone changed it since {@code expectedVersion}
   * @throws io.crmkit.core.exception.ValidationException on {@code expectedVersion} below 1
   * @throws io.crmkit.core.exception.NotFoundException if the ticket is not the organization's
   */
  Ticket changeStatus(UUID ticketId, long expectedVersion, TicketStatus to);

  /** Like {@link #changeStatus} but for any move, closing an unresolved ticket included; admins only. */
  Ticket forceStatus(UUID ticketId, long expectedVersion, TicketStatus to);

  /**
   * Adds a public reply or an internal note. A public reply stops the first-response clock; one
   * {@linkplain CommentDraft#sentToCustomer() sent to the customer} also goes to the ticket's
   * WhatsApp conversation, through the {@link io.crmkit.ticketing.spi.TicketReplyChannel} a bridge
   * module offers (crm-ticketing-whatsapp), after the commit.
   *
   * @throws io.crmkit.core.exception.ValidationException naming the field, for bad input (a body the
   *     reply channel cannot carry included, such as one over WhatsApp's 4,096 characters), and on
   *     {@code sendToCustomer} for a ticket without a conversation or a Crm without a reply channel
   *     (nothing is stored)
   * @throws io.crmkit.core.exception.NotFoundException if the ticket is not the organization's
   */
  TicketComment comment(UUID ticketId, CommentDraft draft);

  /**
   * A ticket's comments, oldest first, {@code limit} (1 to 200) at a time, by keyset: the public
   * replies only, or (for the organization's own people) internal notes too.
   *
   * @throws io.crmkit.core.exception.NotFoundException if the ticket is not the organization's
   */
  Page<TicketComment> comments(UUID ticketId, boolean includeInternal, int limit, Optional<String> cursor);

  /**
   * The tickets {@code query} selects, newest first, {@code limit} (1 to 200) at a time, by keyset.
   *
   * @throws io.crmkit.core.exception.ValidationException on {@code limit}, {@code cursor}, a {@code tag}
   *     that is no tag, or a {@code text} over 255 characters or with control characters (blank text
   *     is no filter)
   */
  Page<Ticket> list(TicketQuery query, int limit, Optional<String> cursor);

  /** Counts by status, and of unfinished tickets by assignee, for a dashboard. */
  TicketCounts counts();

  /**
   * Tickets whose first response or resolution is overdue or due within {@code within}, the most
   * urgent first (at most {@code limit}, 1 to 500). A paused (waiting) resolution clock is not due.
   *
   * @throws io.crmkit.core.exception.ValidationException on {@code within} if it is negative or over
   *     3,650 days, or on {@code limit}
   */
  List<Ticket> slaDue(Duration within, int limit);

  /** The organization's settings (the defaults until an admin changes them). */
  TicketSettings settings();

  /**
   * Replaces the organization's settings; admins only. New SLA targets apply to tickets opened
   * after, and to a ticket's due times when its priority changes or it is reopened; a new number
   * format to numbers given after (it must not write a number an earlier format wrote: keep a
   * prefix of its own).
   */
  TicketSettings updateSettings(TicketSettings settings);
}
