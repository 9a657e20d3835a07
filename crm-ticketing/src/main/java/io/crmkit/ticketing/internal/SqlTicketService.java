package io.crmkit.ticketing.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.crmkit.core.Actor;
import io.crmkit.core.Change;
import io.crmkit.core.Page;
import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.ForbiddenException;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.spi.Json;
import io.crmkit.core.spi.Keyset;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.core.users.Role;
import io.crmkit.ticketing.Attachment;
import io.crmkit.ticketing.CommentDraft;
import io.crmkit.ticketing.IllegalTransitionException;
import io.crmkit.ticketing.SlaTarget;
import io.crmkit.ticketing.StaleTicketException;
import io.crmkit.ticketing.Ticket;
import io.crmkit.ticketing.TicketComment;
import io.crmkit.ticketing.TicketCounts;
import io.crmkit.ticketing.TicketDraft;
import io.crmkit.ticketing.TicketPriority;
import io.crmkit.ticketing.TicketQuery;
import io.crmkit.ticketing.TicketService;
import io.crmkit.ticketing.TicketSettings;
import io.crmkit.ticketing.TicketSla;
import io.crmkit.ticketing.TicketStatus;
import io.crmkit.ticketing.TicketType;
import io.crmkit.ticketing.TicketUpdate;
import io.crmkit.ticketing.spi.ConversationLinks;
import io.crmkit.ticketing.spi.TicketReplyChannel;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** {@link TicketService} over the tickets tables, through crm-core's {@link TenantWork}. */
public final class SqlTicketService implements TicketService {
  /** The usage counter of opened tickets, per month in the organization's time zone. */
  static final String OPENED_METRIC = "tickets_opened";
  private static final java.util.regex.Pattern DIGITS = java.util.regex.Pattern.compile("\\{(N+)\\}");
  private static final Role[] AGENTS = {Role.ADMIN, Role.MANAGER, Role.AGENT};
  private static final String COLUMNS = "id, ticket_number, customer_id, conversation_id, title, description, type,"
      + " status, priority, assigned_to, created_by, tags, custom_fields::text, version, resolved_at, closed_at,"
      + " first_response_due_at, first_responded_at, resolution_due_at, resolution_paused_at,"
      + " resolution_paused_seconds, created_at, updated_at";
  private static final String COMMENT_COLUMNS = "id, ticket_id, user_id, body, is_internal, attachments::text, created_at";

  private final TenantScope scope;
  private final Optional<TicketReplyChannel> replies;
  private final List<ConversationLinks> links;

  /** The tickets of {@code scope}'s organization. */
  public SqlTicketService(TenantScope scope, Optional<TicketReplyChannel> replies, List<ConversationLinks> links) {
    this.scope = scope;
    this.replies = replies;
    this.links = List.copyOf(links);
  }

  // ---------------------------------------------------------------- open

  @Override
  public Ticket open(TicketDraft draft) {
    Objects.requireNonNull(draft, "draft");
    String title = title(draft.title());
    String description = draft.description().map(SqlTicketService::description).orElse(null);
    List<String> tags = tags(draft.tags());
    String customFields = customFields(draft.customFields());
    UUID id = draft.id().orElseGet(UUID::randomUUID);
    try {
      return open(draft, id, title, description, tags, customFields, true);
    } catch (NotNumbered e) {
      // Rolled back whole: the month's limit refused the ticket, or the period has no counter row
      // yet (its first ticket). The long way tells the first from the second and creates the row.
      return open(draft, id, title, description, tags, customFields, false);
    }
  }

  /**
   * Opens the ticket in one transaction. With {@code inline} and a transaction that commits as the
   * call returns, the numbering statement goes with the COMMIT, and a statement that numbers
   * nothing throws {@link NotNumbered}; otherwise a refusal or a missing counter row is handled
   * within the transaction.
   */
  private Ticket open(TicketDraft draft, UUID id, String title, String description, List<String> tags,
      String customFields, boolean inline) {
    return TenantWork.call(scope, tx -> {
      tx.requireRoleUnlessSystem("tickets.open", AGENTS);
      Settings settings = Settings.read(tx, draft.priority());
      if (!settings.ticketing()) {
        throw new ForbiddenException("tickets.open (the organization's plan has no ticketing)", tx.actor());
      }
      Optional<UUID> customer = draft.customerId();
      if (draft.conversationId().isPresent()) {
        if (links.isEmpty()) {
          throw new ValidationException("conversationId", "linking a ticket to a conversation needs"
              + " crm-ticketing-whatsapp (with crm-whatsapp) on the class path");
        }
        Optional<UUID> ofConversation = links.get(0).customerOf(tx, draft.conversationId().get());
        if (customer.isPresent() && ofConversation.isPresent() && !customer.equals(ofConversation)) {
          throw new ValidationException("customerId", "is not the customer of conversation "
              + draft.conversationId().get());
        }
        customer = customer.or(() -> ofConversation);
      }
      if (customer.isPresent() && tx.queryForId("select id from " + tx.table("customers")
          + " where organization_id = ? and id = ?", tx.organizationId(), customer.get()) == null) {
        throw new NotFoundException("customer", customer.get());
      }
      if (draft.assignee().isPresent()) {
        requireActiveMember(tx, draft.assignee().get());
      }
      Instant now = tx.now();
      String period = settings.period(now);
      UUID createdBy = tx.actor() instanceof Actor.Member member ? member.userId() : null;
      if (customer.isPresent()) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("ticket_id", id.toString());
        metadata.put("priority", draft.priority().databaseName());
        tx.scope().customers().logActivity(customer.get(), "ticket_opened", Optional.of(title), metadata);
      }
      // The organization's two hot rows (the month's count and the number) are taken by the last
      // statement, which also inserts the ticket: held from there to the commit only.
      LocalDate month = LocalDate.ofInstant(now, settings.zone()).withDayOfMonth(1);
      Numbered numbered = new Numbered(id, period, settings.format(), month, customer.orElse(null),
          draft.conversationId().orElse(null), title, description, draft.type(), draft.priority(),
          draft.assignee().orElse(null), createdBy, tags, customFields,
          settings.target().firstResponse().map(now::plus).orElse(null), now,
          settings.target().resolution().map(now::plus).orElse(null));
      if (inline && tx.commitsOnReturn()) {
        return numbered.insertAndCommit(tx);
      }
      Numbered.Outcome outcome = numbered.insert(tx, true);
      if (!outcome.counted()) {
        // Refused by max_tickets_per_month: the core call says so with the limit and the plan (or,
        // if a unit was given back meanwhile, takes it, and the ticket goes in after all).
        tx.takeWithinLimit(OPENED_METRIC, month, 1, Limit.TICKETS_PER_MONTH);
        outcome = numbered.insert(tx, false);
      }
      if (outcome.ticket().isEmpty()) {
        // No counter row this statement could see: the organization's first ticket of the period
        // (or a concurrent first one whose row committed after this statement began). Created at 0
        // unless it is there; the unit was taken already.
        tx.update("insert into " + tx.table("ticket_counters") + " (organization_id, period, last_number)"
            + " values (?, ?, 0) on conflict do nothing", tx.organizationId(), period);
        outcome = numbered.insert(tx, false);
      }
      Optional<Ticket> inserted = outcome.ticket();
      return inserted.orElseThrow(() -> new IllegalStateException("no counter row for period " + period));
    });
  }

  /**
   * A ticket to insert with the next number of its organization and period: one statement that
   * takes the counter row (a plain UPDATE, held to the commit) and inserts the ticket with the
   * number written by the format, padded in SQL only up to the minimum width (lpad would cut
   * 10000 to 1000). Empty if the counter row does not exist yet.
   */
  private record Numbered(UUID id, String period, String format, LocalDate month, UUID customerId,
      UUID conversationId, String title, String description, TicketType type, TicketPriority priority, UUID assignee,
      UUID createdBy, List<String> tags, String customFields, Instant firstResponseDue, Instant now,
      Instant resolutionDue) {

    /**
     * A number an earlier format already wrote, or an id already a ticket's, is a clear conflict;
     * other errors pass.
     */
    private SQLException conflictIfTaken(SQLException e) {
      if ("23505".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("ticket_number")) {
        throw new io.crmkit.core.exception.ConflictException("the number format " + format + " gives a number an earlier"
            + " format already gave; give it a prefix of its own (updateSettings)");
      }
      if ("23505".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("tickets_pkey")) {
        throw new io.crmkit.core.exception.ConflictException("ticket " + id + " exists already");
      }
      return e;
    }

    /** Whether the month's unit was taken (or had been), and the ticket if it went in. */
    record Outcome(boolean counted, Optional<Ticket> ticket) {}

    /** Runs the statement; see {@link #sql}. */
    Outcome insert(TenantTransaction tx, boolean count) throws SQLException {
      try (PreparedStatement ps = tx.connection().prepareStatement(sql(tx, false))) {
        bind(tx, ps, count);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          rs.getLong(1);
          boolean counted = !rs.wasNull();
          return new Outcome(counted, rs.getObject("id", UUID.class) == null ? Optional.empty() : Optional.of(ticket(rs)));
        } catch (SQLException e) {
          throw conflictIfTaken(e);
        }
      }
    }

    /**
     * Runs the statement, taking the month's unit, with the transaction's COMMIT in the same round
     * trip: the counter row is held only while the statement runs and commits.
     *
     * @throws NotNumbered if it inserted no ticket (the transaction then commits nothing)
     */
    Ticket insertAndCommit(TenantTransaction tx) throws SQLException {
      try {
        return tx.queryAndCommit(sql(tx, true), ps -> bind(tx, ps, true), rs -> {
          rs.next();
          return ticket(rs);
        });
      } catch (SQLException e) {
        if (NotNumbered.STATE.equals(e.getSQLState())) {
          throw new NotNumbered();
        }
        throw conflictIfTaken(e);
      }
    }

    /**
     * One statement: takes the month's unit of max_tickets_per_month (unless the bound {@code count}
     * is false: taken already), then, only if it was given, the counter row, then inserts the
     * ticket. The unit's CTE is read by the outer query, so it runs exactly once, first. {@code
     * guarded}, the statement fails (SQLSTATE {@link NotNumbered#STATE}) when it inserts nothing.
     */
    private String sql(TenantTransaction tx, boolean guarded) {
      return "with u as materialized (select case when ?"
          + " then " + tx.table("take_within_limit") + "(?, ?, ?, 1, ?) else 0 end as took),"
          + " n as (update " + tx.table("ticket_counters") + " set last_number = last_number + 1"
          + " where organization_id = ? and period = ? and (select took from u) is not null returning last_number),"
          + " t as (insert into " + tx.table("tickets") + " (organization_id, id, number_period, number, ticket_number,"
          + " customer_id, conversation_id, title, description, type, priority, assigned_to, created_by, tags,"
          + " custom_fields, first_response_due_at, resolution_started_at, resolution_due_at, created_at, updated_at)"
          + " select ?, ?, ?, n.last_number, ? || case when length(n.last_number::text) >= ? then n.last_number::text"
          + " else lpad(n.last_number::text, ?, '0') end || ?,"
          + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ? from n returning " + COLUMNS + ")"
          + " select u.took, t.*" + (guarded ? ", " + tx.table("require_ticket_numbered") + "(t.id is not null)" : "")
          + " from u left join t on true";
    }

    private void bind(TenantTransaction tx, PreparedStatement ps, boolean count) throws SQLException {
      String written = format.replace("{YYYY}", period.equals("-") ? "" : period)
          .replace("{YY}", period.equals("-") ? "" : period.substring(2));
      java.util.regex.Matcher digits = DIGITS.matcher(written);
      if (!digits.find()) {
        throw new IllegalStateException("number format without {N…}: " + format);
      }
      String prefix = written.substring(0, digits.start());
      String suffix = written.substring(digits.end());
      int width = digits.group(1).length();
      int i = 1;
      ps.setBoolean(i++, count);
      ps.setObject(i++, tx.organizationId());
      ps.setString(i++, OPENED_METRIC);
      ps.setObject(i++, month);
      ps.setString(i++, Limit.TICKETS_PER_MONTH.column());
      ps.setObject(i++, tx.organizationId());
      ps.setString(i++, period);
      ps.setObject(i++, tx.organizationId());
      ps.setObject(i++, id);
      ps.setString(i++, period);
      ps.setString(i++, prefix);
      ps.setInt(i++, width);
      ps.setInt(i++, width);
      ps.setString(i++, suffix);
      ps.setObject(i++, customerId);
      ps.setObject(i++, conversationId);
      ps.setString(i++, title);
      ps.setString(i++, description);
      ps.setString(i++, type.databaseName());
      ps.setString(i++, priority.databaseName());
      ps.setObject(i++, assignee);
      ps.setObject(i++, createdBy);
      ps.setArray(i++, tx.connection().createArrayOf("text", tags.toArray()));
      ps.setString(i++, customFields);
      ps.setTimestamp(i++, firstResponseDue == null ? null : Timestamp.from(firstResponseDue));
      ps.setTimestamp(i++, Timestamp.from(now));
      ps.setTimestamp(i++, resolutionDue == null ? null : Timestamp.from(resolutionDue));
      ps.setTimestamp(i++, Timestamp.from(now));
      ps.setTimestamp(i, Timestamp.from(now));
    }
  }

  /**
   * The numbering statement sent with its COMMIT inserted no ticket, so the transaction rolled
   * back; {@link #open(TicketDraft)} opens the ticket again the long way.
   */
  private static final class NotNumbered extends RuntimeException {
    /** The SQLSTATE of require_ticket_numbered() (migration V2). */
    static final String STATE = "CKT01";

    NotNumbered() {
      super("no ticket was numbered", null, false, false);
    }
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Optional<Ticket> get(UUID ticketId) {
    Objects.requireNonNull(ticketId, "ticketId");
    return TenantWork.call(scope, tx -> find(tx, "id = ?", ticketId, ""));
  }

  @Override
  public Optional<Ticket> byNumber(String number) {
    Objects.requireNonNull(number, "number");
    return TenantWork.call(scope, tx -> find(tx, "ticket_number = ?", number, ""));
  }

  private static Optional<Ticket> find(TenantTransaction tx, String condition, Object key, String lock)
      throws SQLException {
    try (PreparedStatement ps = tx.connection().prepareStatement("select " + COLUMNS + " from " + tx.table("tickets")
        + " where organization_id = ? and " + condition + lock)) {
      ps.setObject(1, tx.organizationId());
      ps.setObject(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(ticket(rs)) : Optional.empty();
      }
    }
  }

  /** The ticket, locked for the transaction, if still at {@code expectedVersion}. */
  private static Ticket locked(TenantTransaction tx, UUID ticketId, long expectedVersion) throws SQLException {
    Ticket ticket = find(tx, "id = ?", ticketId, " for no key update")
        .orElseThrow(() -> new NotFoundException("ticket", ticketId));
    if (ticket.version() != expectedVersion) {
      throw new StaleTicketException(ticketId, expectedVersion, ticket.version());
    }
    return ticket;
  }

  // ---------------------------------------------------------------- update

  @Override
  public Ticket update(UUID ticketId, long expectedVersion, TicketUpdate update) {
    Objects.requireNonNull(ticketId, "ticketId");
    Objects.requireNonNull(update, "update");
    Change<String> title = update.title().map(SqlTicketService::title);
    // A blank description clears it, as on open.
    Change<String> description = update.description() instanceof Change.To<String> to
        && description(to.value()) == null ? Change.clear() : update.description().map(SqlTicketService::description);
    Change<List<String>> tags = update.tags().map(SqlTicketService::tags);
    Change<String> customFields = update.customFields().map(SqlTicketService::customFields);
    return TenantWork.call(scope, tx -> {
      tx.requireRoleUnlessSystem("tickets.update", AGENTS);
      Ticket ticket = locked(tx, ticketId, expectedVersion);
      if (update.isEmpty()) {
        return ticket;
      }
      if (update.assignee() instanceof Change.To<UUID> assignee) {
        requireActiveMember(tx, assignee.value());
      }
      List<String> sets = new ArrayList<>();
      List<Object> values = new ArrayList<>();
      Map<String, Object> changed = new LinkedHashMap<>();
      Optional<String> newTitle = title.applyTo(Optional.of(ticket.title()));
      if (!newTitle.equals(Optional.of(ticket.title()))) {
        sets.add("title = ?");
        values.add(newTitle.get());
        changed.put("title", newTitle.get());
      }
      Optional<String> newDescription = description.applyTo(ticket.description());
      if (!newDescription.equals(ticket.description())) {
        sets.add("description = ?");
        values.add(newDescription.orElse(null));
        changed.put("description", newDescription.isPresent() ? "set" : "cleared");
      }
      Optional<TicketType> newType = update.type().applyTo(Optional.of(ticket.type()));
      if (newType.get() != ticket.type()) {
        sets.add("type = ?");
        values.add(newType.get().databaseName());
        changed.put("type", newType.get().databaseName());
      }
      Optional<UUID> newAssignee = update.assignee().applyTo(ticket.assignedTo());
      if (!newAssignee.equals(ticket.assignedTo())) {
        sets.add("assigned_to = ?");
        values.add(newAssignee.orElse(null));
        changed.put("assigned_to", newAssignee.map(UUID::toString).orElse(""));
      }
      List<String> newTags = tags.applyTo(Optional.of(ticket.tags())).orElse(List.of());
      if (!newTags.equals(ticket.tags())) {
        sets.add("tags = ?");
        values.add(tx.connection().createArrayOf("text", newTags.toArray()));
        changed.put("tags", String.join(",", newTags));
      }
      if (customFields.changes()) {
        sets.add("custom_fields = ?::jsonb");
        values.add(customFields.applyTo(Optional.empty()).orElse("{}"));
        changed.put("custom_fields", "set");
      }
      Optional<TicketPriority> newPriority = update.priority().applyTo(Optional.of(ticket.priority()));
      if (newPriority.get() != ticket.priority()) {
        // The due times follow the new priority's targets, from when each clock started.
        SlaTarget target = Settings.read(tx, newPriority.get()).target();
        sets.add("priority = ?");
        values.add(newPriority.get().databaseName());
        sets.add("first_response_due_at = case when first_responded_at is null then created_at + ?::interval"
            + " else first_response_due_at end");
        values.add(interval(target.firstResponse()));
        sets.add("resolution_due_at = resolution_started_at + ?::interval"
            + " + resolution_paused_seconds * interval '1 second'");
        values.add(interval(target.resolution()));
        changed.put("priority", newPriority.get().databaseName());
      }
      if (sets.isEmpty()) {
        return ticket;
      }
      Ticket changedTicket = write(tx, ticketId, sets, values);
      if (ticket.customerId().isPresent()) {
        Map<String, Object> metadata = new LinkedHashMap<>(changed);
        metadata.put("ticket_id", ticketId.toString());
        tx.scope().customers().logActivity(ticket.customerId().get(), "ticket_updated",
            Optional.of(ticket.number() + ": " + String.join(", ", changed.keySet())), metadata);
      }
      return changedTicket;
    });
  }

  private static Ticket write(TenantTransaction tx, UUID ticketId, List<String> sets, List<Object> values)
      throws SQLException {
    try (PreparedStatement ps = tx.connection().prepareStatement("update " + tx.table("tickets") + " set "
        + String.join(", ", sets) + ", version = version + 1 where organization_id = ? and id = ? returning "
        + COLUMNS)) {
      int i = 1;
      for (Object value : values) {
        if (value instanceof Timestamp timestamp) {
          ps.setTimestamp(i++, timestamp);
        } else {
          ps.setObject(i++, value);
        }
      }
      ps.setObject(i++, tx.organizationId());
      ps.setObject(i, ticketId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return ticket(rs);
      }
    }
  }

  // ---------------------------------------------------------------- status

  @Override
  public Ticket changeStatus(UUID ticketId, long expectedVersion, TicketStatus to) {
    return status(ticketId, expectedVersion, to, false);
  }

  @Override
  public Ticket forceStatus(UUID ticketId, long expectedVersion, TicketStatus to) {
    return status(ticketId, expectedVersion, to, true);
  }

  private Ticket status(UUID ticketId, long expectedVersion, TicketStatus to, boolean force) {
    Objects.requireNonNull(ticketId, "ticketId");
    Objects.requireNonNull(to, "to");
    return TenantWork.call(scope, tx -> {
      if (force) {
        tx.requireRole("tickets.force_status", Role.ADMIN);
      } else {
        tx.requireRoleUnlessSystem("tickets.change_status", AGENTS);
      }
      Ticket ticket = locked(tx, ticketId, expectedVersion);
      TicketStatus from = ticket.status();
      if (from == to) {
        return ticket;
      }
      if (!force && !from.next().contains(to)) {
        throw new IllegalTransitionException(from, to);
      }
      Timestamp now = Timestamp.from(tx.now());
      List<String> sets = new ArrayList<>();
      List<Object> values = new ArrayList<>();
      sets.add("status = ?");
      values.add(to.databaseName());
      if (from == TicketStatus.WAITING) {
        // The pause ends: the resolution due time moves by the time paused.
        sets.add("resolution_paused_seconds = resolution_paused_seconds"
            + " + greatest(0, extract(epoch from (?::timestamptz - resolution_paused_at)))::bigint");
        values.add(now);
        sets.add("resolution_due_at = resolution_due_at + greatest(interval '0', ?::timestamptz - resolution_paused_at)");
        values.add(now);
        sets.add("resolution_paused_at = null");
      }
      if (to == TicketStatus.WAITING) {
        sets.add("resolution_paused_at = ?");
        values.add(now);
      }
      if (from.done() && !to.done()) {
        // Reopened: the resolution clock starts again, with the priority's full target.
        SlaTarget target = Settings.read(tx, ticket.priority()).target();
        sets.add("resolved_at = null");
        sets.add("closed_at = null");
        sets.add("resolution_started_at = ?");
        values.add(now);
        sets.add("resolution_paused_seconds = 0");
        sets.add("resolution_due_at = ?::timestamptz + ?::interval");
        values.add(now);
        values.add(interval(target.resolution()));
      } else if (to == TicketStatus.RESOLVED) {
        sets.add("resolved_at = ?");
        values.add(now);
        sets.add("closed_at = null");
      } else if (to == TicketStatus.CLOSED) {
        // Closing an unresolved ticket (forced) resolves it too.
        sets.add("resolved_at = coalesce(resolved_at, ?)");
        values.add(now);
        sets.add("closed_at = ?");
        values.add(now);
      }
      Ticket changed = write(tx, ticketId, requireEachColumnOnce(sets), values);
      if (ticket.customerId().isPresent()) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("ticket_id", ticketId.toString());
        metadata.put("from", from.databaseName());
        metadata.put("to", to.databaseName());
        metadata.put("forced", force && !from.next().contains(to));
        tx.scope().customers().logActivity(ticket.customerId().get(), "ticket_status_changed",
            Optional.of(ticket.number() + ": " + from.databaseName() + " → " + to.databaseName()), metadata);
      }
      return changed;
    });
  }

  private static List<String> requireEachColumnOnce(List<String> sets) {
    // Each column is assigned once; two assignments of one column would be a bug in status().
    Map<String, String> byColumn = new LinkedHashMap<>();
    for (String set : sets) {
      byColumn.put(set.substring(0, set.indexOf(' ')), set);
    }
    if (byColumn.size() != sets.size()) {
      throw new IllegalStateException("conflicting assignments " + sets);
    }
    return sets;
  }

  // ---------------------------------------------------------------- comments

  @Override
  public TicketComment comment(UUID ticketId, CommentDraft draft) {
    Objects.requireNonNull(ticketId, "ticketId");
    Objects.requireNonNull(draft, "draft");
    String body = Inputs.text("body", draft.body(), 20_000);
    if (draft.attachments().size() > 20) {
      throw new ValidationException("attachments", "at most 20 per comment");
    }
    String attachments = attachments(draft.attachments());
    return TenantWork.call(scope, tx -> {
      tx.requireRoleUnlessSystem("tickets.comment", AGENTS);
      // Not locked: a comment only appends. Sending to WhatsApp locks the conversation, then (its
      // trigger) the ticket, the order an agent's own reply takes, so the two never deadlock.
      Ticket ticket = find(tx, "id = ?", ticketId, "").orElseThrow(() -> new NotFoundException("ticket", ticketId));
      if (draft.sendToCustomer()) {
        if (ticket.conversationId().isEmpty()) {
          throw new ValidationException("sendToCustomer", "ticket " + ticket.number() + " has no conversation");
        }
        if (replies.isEmpty()) {
          throw new ValidationException("sendToCustomer", "no reply channel is configured"
              + " (Ticketing.Builder.replyChannel)");
        }
      }
      UUID author = tx.actor() instanceof Actor.Member member ? member.userId() : null;
      TicketComment comment;
      try (PreparedStatement ps = tx.connection().prepareStatement("insert into " + tx.table("ticket_comments")
          + " (organization_id, ticket_id, user_id, body, is_internal, attachments, created_at, updated_at)"
          + " values (?, ?, ?, ?, ?, ?::jsonb, ?, ?) returning " + COMMENT_COLUMNS)) {
        ps.setObject(1, tx.organizationId());
        ps.setObject(2, ticketId);
        ps.setObject(3, author);
        ps.setString(4, body);
        ps.setBoolean(5, draft.internal());
        ps.setString(6, attachments);
        ps.setTimestamp(7, Timestamp.from(tx.now()));
        ps.setTimestamp(8, Timestamp.from(tx.now()));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          comment = comment(rs);
        }
      }
      if (draft.sendToCustomer()) {
        replies.get().send(tx, ticket, comment);
      }
      if (!draft.internal()) {
        // A public reply answers: the first-response clock of an unfinished ticket stops (once).
        // Comments only append, so this does not change the ticket's version.
        tx.update("update " + tx.table("tickets") + " set first_responded_at = ? where organization_id = ?"
            + " and id = ? and first_responded_at is null and status not in ('resolved', 'closed')",
            Timestamp.from(tx.now()), tx.organizationId(), ticketId);
      }
      if (ticket.customerId().isPresent()) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("ticket_id", ticketId.toString());
        metadata.put("comment_id", comment.id().toString());
        // An internal note's text stays on the ticket: the timeline says only that there is one.
        tx.scope().customers().logActivity(ticket.customerId().get(), draft.internal() ? "ticket_note" : "ticket_reply",
            Optional.of(draft.internal() ? ticket.number() + ": internal note" : ticket.number() + ": " + preview(body)),
            metadata);
      }
      return comment;
    });
  }

  @Override
  public Page<TicketComment> comments(UUID ticketId, boolean includeInternal, int limit, Optional<String> cursor) {
    Objects.requireNonNull(ticketId, "ticketId");
    limit(limit, 200);
    Keyset after = Objects.requireNonNull(cursor, "cursor").map(Keyset::decode).orElse(null);
    return TenantWork.call(scope, tx -> {
      if (find(tx, "id = ?", ticketId, "").isEmpty()) {
        throw new NotFoundException("ticket", ticketId);
      }
      try (PreparedStatement ps = tx.connection().prepareStatement("select " + COMMENT_COLUMNS + " from "
          + tx.table("ticket_comments") + " where organization_id = ? and ticket_id = ?"
          + (includeInternal ? "" : " and not is_internal")
          + (after != null ? " and (created_at, id) > (?, ?)" : "") + " order by created_at, id limit ?")) {
        int i = 1;
        ps.setObject(i++, tx.organizationId());
        ps.setObject(i++, ticketId);
        if (after != null) {
          ps.setTimestamp(i++, Timestamp.from(after.at()));
          ps.setObject(i++, after.id());
        }
        ps.setInt(i, limit + 1);
        List<TicketComment> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(comment(rs));
          }
        }
        return Keyset.page(rows, limit, c -> new Keyset(c.createdAt(), c.id()));
      }
    });
  }

  // ---------------------------------------------------------------- lists

  @Override
  public Page<Ticket> list(TicketQuery query, int limit, Optional<String> cursor) {
    Objects.requireNonNull(query, "query");
    limit(limit, 200);
    Keyset after = Objects.requireNonNull(cursor, "cursor").map(Keyset::decode).orElse(null);
    Optional<String> text = query.text().map(String::strip).filter(t -> !t.isEmpty());
    return TenantWork.call(scope, tx -> {
      try (PreparedStatement ps = tx.connection().prepareStatement("select " + COLUMNS + " from "
          + tx.table("list_tickets") + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setArray(1, names(tx, query.statuses().stream().map(TicketStatus::databaseName).toList()));
        ps.setArray(2, names(tx, query.priorities().stream().map(TicketPriority::databaseName).toList()));
        ps.setArray(3, names(tx, query.types().stream().map(TicketType::databaseName).toList()));
        ps.setObject(4, query.assignee().orElse(null));
        ps.setBoolean(5, query.unassigned());
        ps.setObject(6, query.customerId().orElse(null));
        ps.setString(7, query.tag().orElse(null));
        ps.setString(8, text.orElse(null));
        ps.setTimestamp(9, after == null ? null : Timestamp.from(after.at()));
        ps.setObject(10, after == null ? null : after.id());
        ps.setInt(11, limit + 1);
        List<Ticket> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(ticket(rs));
          }
        }
        return Keyset.page(rows, limit, t -> new Keyset(t.createdAt(), t.id()));
      }
    });
  }

  private static Array names(TenantTransaction tx, List<String> names) throws SQLException {
    return names.isEmpty() ? null : tx.connection().createArrayOf("text", names.toArray());
  }

  @Override
  public TicketCounts counts() {
    return TenantWork.call(scope, tx -> {
      Map<TicketStatus, Long> byStatus = new EnumMap<>(TicketStatus.class);
      Arrays.stream(TicketStatus.values()).forEach(s -> byStatus.put(s, 0L));
      Map<UUID, Long> byAssignee = new HashMap<>();
      long unassigned = 0;
      try (PreparedStatement ps = tx.connection().prepareStatement("select status, assigned_to, count(*) from "
          + tx.table("tickets") + " where organization_id = ? group by status, assigned_to")) {
        ps.setObject(1, tx.organizationId());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            TicketStatus status = TicketStatus.fromDatabase(rs.getString(1));
            UUID assignee = rs.getObject(2, UUID.class);
            long count = rs.getLong(3);
            byStatus.merge(status, count, Long::sum);
            if (!status.done()) {
              if (assignee == null) {
                unassigned += count;
              } else {
                byAssignee.merge(assignee, count, Long::sum);
              }
            }
          }
        }
      }
      return new TicketCounts(byStatus, byAssignee, unassigned);
    });
  }

  @Override
  public List<Ticket> slaDue(Duration within, int limit) {
    Objects.requireNonNull(within, "within");
    if (within.isNegative()) {
      throw new ValidationException("within", "must not be negative");
    }
    limit(limit, 500);
    return TenantWork.call(scope, tx -> {
      Timestamp horizon = Timestamp.from(tx.now().plus(within));
      try (PreparedStatement ps = tx.connection().prepareStatement("select " + COLUMNS + " from ("
          + " select t.*, least(case when t.first_responded_at is null and t.status not in ('resolved', 'closed')"
          + " then t.first_response_due_at end, case when t.status in ('open', 'in_progress')"
          + " then t.resolution_due_at end) as due from " + tx.table("tickets") + " t"
          + " where t.organization_id = ? and ((t.first_responded_at is null and t.status not in ('resolved', 'closed')"
          + " and t.first_response_due_at <= ?) or (t.status in ('open', 'in_progress') and t.resolution_due_at <= ?))"
          + ") due_tickets order by due, id limit ?")) {
        ps.setObject(1, tx.organizationId());
        ps.setTimestamp(2, horizon);
        ps.setTimestamp(3, horizon);
        ps.setInt(4, limit);
        List<Ticket> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(ticket(rs));
          }
        }
        return rows;
      }
    });
  }

  // ---------------------------------------------------------------- settings

  @Override
  public TicketSettings settings() {
    return TenantWork.call(scope, SqlTicketService::readSettings);
  }

  private static TicketSettings readSettings(TenantTransaction tx) throws SQLException {
    TicketSettings settings = TicketSettings.defaults();
    String format = tx.queryForText("select number_format from " + tx.table("ticketing_settings")
        + " where organization_id = ?", tx.organizationId());
    if (format != null) {
      settings = settings.withNumberFormat(format);
    }
    try (PreparedStatement ps = tx.connection().prepareStatement("select priority, first_response_minutes,"
        + " resolution_minutes from " + tx.table("ticket_sla_targets") + " where organization_id = ?")) {
      ps.setObject(1, tx.organizationId());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          settings = settings.withSla(TicketPriority.fromDatabase(rs.getString(1)),
              new SlaTarget(minutes(rs, 2), minutes(rs, 3)));
        }
      }
    }
    return settings;
  }

  @Override
  public TicketSettings updateSettings(TicketSettings settings) {
    Objects.requireNonNull(settings, "settings");
    String format = settings.numberFormat();
    if (!format.matches("[A-Za-z0-9_./#{}-]{1,40}") || !format.matches(".*\\{N{1,9}\\}.*")
        || format.matches(".*\\{N+\\}.*\\{N+\\}.*")
        || !format.replaceAll("\\{(YYYY|YY|N{1,9})\\}", "").matches("[A-Za-z0-9_./#-]*")) {
      throw new ValidationException("numberFormat", "must be 1 to 40 letters, digits and _ . / # -, with one {N…}"
          + " (as many N's as the minimum width, at most 9) and optionally {YYYY} or {YY}, e.g. TICKET-{YYYY}-{NNNN}");
    }
    return TenantWork.call(scope, tx -> {
      tx.requireRole("tickets.settings", Role.ADMIN);
      tx.update("insert into " + tx.table("ticketing_settings") + " (organization_id, number_format)"
          + " values (?, ?) on conflict (organization_id) do update set number_format = excluded.number_format,"
          + " updated_at = now()", tx.organizationId(), format);
      for (Map.Entry<TicketPriority, SlaTarget> entry : settings.sla().entrySet()) {
        tx.update("insert into " + tx.table("ticket_sla_targets") + " (organization_id, priority,"
            + " first_response_minutes, resolution_minutes) values (?, ?, ?, ?) on conflict (organization_id, priority)"
            + " do update set first_response_minutes = excluded.first_response_minutes,"
            + " resolution_minutes = excluded.resolution_minutes", tx.organizationId(),
            entry.getKey().databaseName(), entry.getValue().firstResponse().map(d -> (int) d.toMinutes()).orElse(null),
            entry.getValue().resolution().map(d -> (int) d.toMinutes()).orElse(null));
      }
      return readSettings(tx);
    });
  }

  /**
   * What opening or re-timing a ticket needs, in one query: the format, the time zone, the
   * priority's targets, and whether the plan has ticketing.
   */
  private record Settings(String format, ZoneId zone, SlaTarget target, boolean ticketing) {
    static Settings read(TenantTransaction tx, TicketPriority priority) throws SQLException {
      try (PreparedStatement ps = tx.connection().prepareStatement("select s.number_format, o.time_zone,"
          + " t.priority, t.first_response_minutes, t.resolution_minutes, "
          + tx.table("organization_has_feature") + "(o.id, 'ticketing') from " + tx.table("organizations") + " o"
          + " left join " + tx.table("ticketing_settings") + " s on s.organization_id = o.id"
          + " left join " + tx.table("ticket_sla_targets") + " t on t.organization_id = o.id and t.priority = ?"
          + " where o.id = ?")) {
        ps.setString(1, priority.databaseName());
        ps.setObject(2, tx.organizationId());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new NotFoundException("organization", tx.organizationId());
          }
          String format = rs.getString(1) == null ? TicketSettings.DEFAULT_NUMBER_FORMAT : rs.getString(1);
          SlaTarget target = rs.getString(3) == null ? TicketSettings.defaults().sla().get(priority)
              : new SlaTarget(minutes(rs, 4), minutes(rs, 5));
          return new Settings(format, ZoneId.of(rs.getString(2)), target, rs.getBoolean(6));
        }
      }
    }

    /** The counter's period: the year in the organization's time zone if the format writes it, else "-". */
    String period(Instant now) {
      return format.contains("{YYYY}") || format.contains("{YY}")
          ? Integer.toString(LocalDate.ofInstant(now, zone).getYear()) : "-";
    }
  }

  // ---------------------------------------------------------------- helpers

  private static void requireActiveMember(TenantTransaction tx, UUID userId) throws SQLException {
    if (tx.queryForId("select id from " + tx.table("users") + " where organization_id = ? and id = ? and is_active",
        tx.organizationId(), userId) == null) {
      throw new ValidationException("assignee", "is not an active member of this organization");
    }
  }

  private static String title(String title) {
    return Inputs.text("title", title, 255);
  }

  private static String description(String description) {
    if (description.length() > 20_000) {
      throw new ValidationException("description", "must be at most 20000 characters");
    }
    return description.isBlank() ? null : description;
  }

  private static List<String> tags(List<String> tags) {
    return Inputs.tags("tags", tags);
  }

  private static String customFields(Map<String, Object> fields) {
    return fields.isEmpty() ? "{}" : Inputs.customFields("customFields", fields).toString();
  }

  private static String attachments(List<Attachment> attachments) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Attachment a : attachments) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("url", a.url());
      json.put("filename", a.filename());
      json.put("size", a.size());
      list.add(json);
    }
    try {
      return Json.MAPPER.writeValueAsString(list);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String interval(Optional<Duration> target) {
    return target.map(d -> d.toMinutes() + " minutes").orElse(null);
  }

  private static Optional<Duration> minutes(ResultSet rs, int column) throws SQLException {
    int minutes = rs.getInt(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofMinutes(minutes));
  }

  private static String preview(String body) {
    return body.length() > 200 ? body.substring(0, 199) + "…" : body;
  }

  private static void limit(int limit, int max) {
    Inputs.pageSize("limit", limit, max);
  }

  private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? Optional.empty() : Optional.of(value.toInstant());
  }

  private static Ticket ticket(ResultSet rs) throws SQLException {
    Map<String, Object> customFields;
    try {
      String json = rs.getString("custom_fields");
      customFields = json.equals("{}") ? Map.of() : Json.toMap(Json.MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      throw new SQLException("custom_fields is not a JSON object", e);
    }
    Array tags = rs.getArray("tags");
    TicketSla sla = new TicketSla(instant(rs, "first_response_due_at"), instant(rs, "first_responded_at"),
        instant(rs, "resolution_due_at"), instant(rs, "resolution_paused_at"),
        Duration.ofSeconds(rs.getLong("resolution_paused_seconds")));
    return new Ticket(rs.getObject("id", UUID.class), rs.getString("ticket_number"),
        Optional.ofNullable(rs.getObject("customer_id", UUID.class)),
        Optional.ofNullable(rs.getObject("conversation_id", UUID.class)), rs.getString("title"),
        Optional.ofNullable(rs.getString("description")), TicketType.fromDatabase(rs.getString("type")),
        TicketStatus.fromDatabase(rs.getString("status")), TicketPriority.fromDatabase(rs.getString("priority")),
        Optional.ofNullable(rs.getObject("assigned_to", UUID.class)),
        Optional.ofNullable(rs.getObject("created_by", UUID.class)),
        tags == null ? List.of() : Arrays.asList((String[]) tags.getArray()), customFields, rs.getLong("version"),
        instant(rs, "resolved_at"), instant(rs, "closed_at"), sla, instant(rs, "created_at").orElseThrow(),
        instant(rs, "updated_at").orElseThrow());
  }

  private static TicketComment comment(ResultSet rs) throws SQLException {
    List<Attachment> files = new ArrayList<>();
    try {
      for (var node : Json.MAPPER.readTree(rs.getString("attachments"))) {
        files.add(new Attachment(node.path("url").asText(), node.path("filename").asText(), node.path("size").asLong()));
      }
    } catch (JsonProcessingException e) {
      throw new SQLException("attachments is not a JSON array", e);
    }
    return new TicketComment(rs.getObject("id", UUID.class), rs.getObject("ticket_id", UUID.class),
        Optional.ofNullable(rs.getObject("user_id", UUID.class)), rs.getString("body"), rs.getBoolean("is_internal"),
        files, instant(rs, "created_at").orElseThrow());
  }
}
