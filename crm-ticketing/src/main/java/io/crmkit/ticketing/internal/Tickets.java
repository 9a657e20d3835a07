package io.crmkit.ticketing.internal;

import io.crmkit.core.Actor;
import io.crmkit.core.Page;
import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.core.users.Role;
import io.crmkit.ticketing.CommentDraft;
import io.crmkit.ticketing.StaleTicketException;
import io.crmkit.ticketing.Ticket;
import io.crmkit.ticketing.TicketComment;
import io.crmkit.ticketing.TicketCounts;
import io.crmkit.ticketing.TicketDraft;
import io.crmkit.ticketing.TicketQuery;
import io.crmkit.ticketing.TicketService;
import io.crmkit.ticketing.TicketSettings;
import io.crmkit.ticketing.TicketStatus;
import io.crmkit.ticketing.TicketUpdate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link TicketService} for one scope: stateless, each operation in the class of its concern
 * ({@link TicketOpening}, {@link TicketEdits}, {@link TicketWorkflow}, {@link TicketComments},
 * {@link TicketLists}, {@link TicketSlas}, {@link TicketSettingsStore}), and the reads they share.
 */
final class Tickets implements TicketService {
  /** Who opens, changes and comments on tickets. */
  static final Role[] AGENTS = {Role.ADMIN, Role.MANAGER, Role.AGENT};

  private final TenantScope scope;
  private final TicketingHooks hooks;

  /** The tickets of {@code scope}'s organization, acting as its actor. */
  Tickets(TenantScope scope, TicketingHooks hooks) {
    this.scope = Objects.requireNonNull(scope, "scope");
    this.hooks = Objects.requireNonNull(hooks, "hooks");
  }

  @Override
  public Ticket open(TicketDraft draft) {
    return TicketOpening.open(scope, hooks.links(), draft);
  }

  @Override
  public Optional<Ticket> get(UUID ticketId) {
    Objects.requireNonNull(ticketId, "ticketId");
    return TenantWork.call(scope, tx -> find(tx, ticketId));
  }

  @Override
  public Optional<Ticket> byNumber(String number) {
    String checked = TicketInputs.number(number);
    return TenantWork.call(scope, tx -> Optional.ofNullable(tx.mapper(TicketMapper.class)
        .findByNumber(tx.organizationId(), checked)).map(TicketRows.TicketRow::toTicket));
  }

  @Override
  public Ticket update(UUID ticketId, long expectedVersion, TicketUpdate update) {
    return TicketEdits.update(scope, ticketId, expectedVersion, update);
  }

  @Override
  public Ticket changeStatus(UUID ticketId, long expectedVersion, TicketStatus to) {
    return TicketWorkflow.move(scope, ticketId, expectedVersion, to, false);
  }

  @Override
  public Ticket forceStatus(UUID ticketId, long expectedVersion, TicketStatus to) {
    return TicketWorkflow.move(scope, ticketId, expectedVersion, to, true);
  }

  @Override
  public TicketComment comment(UUID ticketId, CommentDraft draft) {
    return TicketComments.comment(scope, hooks.replies(), ticketId, draft);
  }

  @Override
  public Page<TicketComment> comments(UUID ticketId, boolean includeInternal, int limit, Optional<String> cursor) {
    return TicketComments.comments(scope, ticketId, includeInternal, limit, cursor);
  }

  @Override
  public Page<Ticket> list(TicketQuery query, int limit, Optional<String> cursor) {
    return TicketLists.list(scope, query, limit, cursor);
  }

  @Override
  public TicketCounts counts() {
    return TicketLists.counts(scope);
  }

  @Override
  public List<Ticket> slaDue(Duration within, int limit) {
    return TicketSlas.due(scope, within, limit);
  }

  @Override
  public TicketSettings settings() {
    return TicketSettingsStore.read(scope);
  }

  @Override
  public TicketSettings updateSettings(TicketSettings settings) {
    return TicketSettingsStore.update(scope, settings);
  }

  /** The organization's ticket, if it has it. */
  static Optional<Ticket> find(TenantTransaction tx, UUID ticketId) {
    return Optional.ofNullable(tx.mapper(TicketMapper.class).find(tx.organizationId(), ticketId))
        .map(TicketRows.TicketRow::toTicket);
  }

  /**
   * The ticket, locked for the transaction, if still at {@code expectedVersion}.
   *
   * @throws NotFoundException if the organization has no such ticket
   * @throws StaleTicketException if it changed since
   */
  static Ticket locked(TenantTransaction tx, UUID ticketId, long expectedVersion) {
    TicketRows.TicketRow row = tx.mapper(TicketMapper.class).findForUpdate(tx.organizationId(), ticketId);
    if (row == null) {
      throw new NotFoundException("ticket", ticketId);
    }
    if (row.version != expectedVersion) {
      throw new StaleTicketException(ticketId, expectedVersion, row.version);
    }
    return row.toTicket();
  }

  /** The member who acts; empty for a system actor. */
  static Optional<UUID> member(TenantTransaction tx) {
    return tx.actor() instanceof Actor.Member member ? Optional.of(member.userId()) : Optional.empty();
  }

  /** Refuses an assignee who is not an active member of the organization. */
  static void requireActiveMember(TenantTransaction tx, UUID userId) {
    if (!tx.mapper(TicketMapper.class).isActiveMember(tx.organizationId(), userId)) {
      throw new ValidationException("assignee", "is not an active member of this organization");
    }
  }
}
