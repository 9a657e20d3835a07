package io.crmkit.whatsapp.internal;

import io.crmkit.core.Actor;
import io.crmkit.core.Page;
import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.spi.Keyset;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.core.users.Role;
import io.crmkit.whatsapp.CustomerWindowClosedException;
import io.crmkit.whatsapp.OutgoingMessage;
import io.crmkit.whatsapp.WhatsAppConversation;
import io.crmkit.whatsapp.WhatsAppInbox;
import io.crmkit.whatsapp.WhatsAppMessage;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link WhatsAppInbox} over conversations and messages, through crm-core's {@link TenantWork}. */
final class SqlWhatsAppInbox implements WhatsAppInbox {
  private static final Logger log = LoggerFactory.getLogger(SqlWhatsAppInbox.class);
  /** The usage counter of outbound messages, per day in the organization's time zone. */
  static final String SENT_METRIC = "messages_sent";
  private static final Duration WINDOW = Duration.ofHours(24);
  private static final int ATTEMPTS = 3;
  private static final Role[] AGENTS = {Role.ADMIN, Role.MANAGER, Role.AGENT};
  private static final String CONVERSATION = "select cv.id, cv.profile_id, ct.wa_phone, ct.bsuid, ct.display_name,"
      + " cv.customer_id, cv.assigned_to, cv.tags, cv.unread_count, cv.last_message_preview, cv.last_message_at,"
      + " cv.last_inbound_at, cv.activity_at, cv.notes from %s cv join %s ct"
      + " on ct.organization_id = cv.organization_id and ct.id = cv.contact_id";
  private static final String MESSAGE = "select id, conversation_id, direction, wa_message_id, message_type, body,"
      + " status, error_code, error_message, created_at from %s";

  private final TenantScope scope;
  private final WhatsAppRuntime runtime;
  private final Events events;
  private final ReplySender sender;

  /** The inbox of {@code scope}'s organization. */
  SqlWhatsAppInbox(TenantScope scope, WhatsAppRuntime runtime) {
    this.scope = scope;
    this.runtime = runtime;
    this.events = runtime.events;
    this.sender = runtime.replies();
  }

  @Override
  public Page<WhatsAppConversation> conversations(io.crmkit.whatsapp.ConversationQuery query, int limit,
      Optional<String> cursor) {
    Objects.requireNonNull(query, "query");
    limit(limit);
    Keyset after = Objects.requireNonNull(cursor, "cursor").map(Keyset::decode).orElse(null);
    return TenantWork.call(scope, tx -> {
      String sql = String.format(CONVERSATION, tx.table("conversations"), tx.table("whatsapp_contacts"))
          + " where cv.organization_id = ?" + (query.assignedTo().isPresent() ? " and cv.assigned_to = ?" : "")
          + (query.unassigned() ? " and cv.assigned_to is null" : "")
          + (query.unreadOnly() ? " and cv.unread_count > 0" : "")
          + (query.tag().isPresent() ? " and ? = any (cv.tags)" : "")
          + (query.profileId().isPresent() ? " and cv.profile_id = ?" : "")
          + (query.customerId().isPresent() ? " and cv.customer_id = ?" : "")
          + (after != null ? " and (cv.activity_at, cv.id) < (?, ?)" : "")
          + " order by cv.activity_at desc, cv.id desc limit ?";
      try (PreparedStatement ps = tx.connection().prepareStatement(sql)) {
        int i = 1;
        ps.setObject(i++, tx.organizationId());
        if (query.assignedTo().isPresent()) {
          ps.setObject(i++, query.assignedTo().get());
        }
        if (query.tag().isPresent()) {
          ps.setString(i++, query.tag().get());
        }
        if (query.profileId().isPresent()) {
          ps.setObject(i++, query.profileId().get());
        }
        if (query.customerId().isPresent()) {
          ps.setObject(i++, query.customerId().get());
        }
        if (after != null) {
          ps.setTimestamp(i++, Timestamp.from(after.at()));
          ps.setObject(i++, after.id());
        }
        ps.setInt(i, limit + 1);
        List<WhatsAppConversation> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(conversation(rs));
          }
        }
        return Keyset.page(rows, limit, c -> new Keyset(c.activityAt(), c.id()));
      }
    });
  }

  @Override
  public Optional<WhatsAppConversation> conversation(UUID conversationId) {
    Objects.requireNonNull(conversationId, "conversationId");
    return TenantWork.call(scope, tx -> find(tx, conversationId));
  }

  @Override
  public Page<WhatsAppMessage> messages(UUID conversationId, int limit, Optional<String> cursor) {
    Objects.requireNonNull(conversationId, "conversationId");
    limit(limit);
    Keyset after = Objects.requireNonNull(cursor, "cursor").map(Keyset::decode).orElse(null);
    return TenantWork.call(scope, tx -> {
      if (find(tx, conversationId).isEmpty()) {
        throw new NotFoundException("conversation", conversationId);
      }
      try (PreparedStatement ps = tx.connection().prepareStatement(String.format(MESSAGE, tx.table("messages"))
          + " where organization_id = ? and conversation_id = ?"
          + (after != null ? " and (created_at, id) < (?, ?)" : "") + " order by created_at desc, id desc limit ?")) {
        int i = 1;
        ps.setObject(i++, tx.organizationId());
        ps.setObject(i++, conversationId);
        if (after != null) {
          ps.setTimestamp(i++, Timestamp.from(after.at()));
          ps.setObject(i++, after.id());
        }
        ps.setInt(i, limit + 1);
        List<WhatsAppMessage> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(message(rs));
          }
        }
        return Keyset.page(rows, limit, m -> new Keyset(m.createdAt(), m.id()));
      }
    });
  }

  @Override
  public WhatsAppConversation assign(UUID conversationId, Optional<UUID> userId) {
    Objects.requireNonNull(userId, "userId");
    return change(conversationId, "whatsapp.inbox.assign", tx -> {
      if (userId.isPresent() && tx.queryForId("select id from " + tx.table("users")
          + " where organization_id = ? and id = ? and is_active", tx.organizationId(), userId.get()) == null) {
        throw new ValidationException("userId", "is not an active member of this organization");
      }
      events.append(tx, conversationId, EventCodec.conversationAssigned(userId));
      return new Object[] {"assigned_to = ?", userId.orElse(null)};
    });
  }

  @Override
  public WhatsAppConversation tag(UUID conversationId, Collection<String> tags) {
    List<String> checked = new ArrayList<>();
    for (String tag : Objects.requireNonNull(tags, "tags")) {
      if (tag == null || tag.isBlank() || tag.strip().length() > 64) {
        throw new ValidationException("tags", "a tag is 1 to 64 characters, not blank");
      }
      checked.add(tag.strip());
    }
    return change(conversationId, "whatsapp.inbox.tag", tx -> {
      Array array = tx.connection().createArrayOf("text", checked.toArray());
      return new Object[] {"tags = array(select t from unnest(tags || ?::text[]) with ordinality as u(t, n)"
          + " group by t order by min(n))", array};
    });
  }

  @Override
  public WhatsAppConversation setNotes(UUID conversationId, Optional<String> notes) {
    Objects.requireNonNull(notes, "notes");
    if (notes.isPresent() && notes.get().length() > 10_000) {
      throw new ValidationException("notes", "must be at most 10000 characters");
    }
    return change(conversationId, "whatsapp.inbox.setNotes", tx -> new Object[] {"notes = ?", notes.orElse(null)});
  }

  @Override
  public WhatsAppConversation markRead(UUID conversationId) {
    return change(conversationId, "whatsapp.inbox.markRead", tx -> {
      // After the commit, tell WhatsApp the user's latest message was read.
      try (PreparedStatement ps = tx.connection().prepareStatement("select m.wa_message_id, cv.profile_id from "
          + tx.table("messages") + " m join " + tx.table("conversations") + " cv on cv.organization_id = m.organization_id"
          + " and cv.id = m.conversation_id where m.organization_id = ? and m.conversation_id = ?"
          + " and m.direction = 'inbound' and m.message_type <> 'system' and cv.unread_count > 0"
          + " order by m.created_at desc, m.id desc limit 1")) {
        ps.setObject(1, tx.organizationId());
        ps.setObject(2, conversationId);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            String waMessageId = rs.getString(1);
            UUID profileId = rs.getObject(2, UUID.class);
            UUID organizationId = tx.organizationId();
            tx.afterCommit(() -> {
              TenantScope system = runtime.crm.tenant(organizationId).asSystem("whatsapp-sender");
              runtime.profiles(system).sender(profileId).ifPresent(s -> runtime.gateway.markRead(s, waMessageId));
            });
          }
        }
      }
      return new Object[] {"unread_count = ?", 0};
    });
  }

  @Override
  public WhatsAppMessage sendText(UUID conversationId, String text) {
    if (text == null || text.isBlank() || text.length() > 4096) {
      throw new ValidationException("text", "must be 1 to 4096 characters, not blank");
    }
    return send(conversationId, "text", text, true, to -> new OutgoingMessage.Text(to, text));
  }

  @Override
  public WhatsAppMessage sendTemplate(UUID conversationId, String templateName, String languageCode,
      List<String> bodyParameters) {
    // Checked here, before anything is stored: the record refuses a malformed name or language.
    OutgoingMessage.Template.of("+10000000000", templateName, languageCode, bodyParameters);
    return send(conversationId, "template", templateName, false,
        to -> OutgoingMessage.Template.of(to, templateName, languageCode, bodyParameters));
  }

  @Override
  public WhatsAppMessage sendMedia(UUID conversationId, OutgoingMessage.MediaKind kind,
      OutgoingMessage.MediaSource source, Optional<String> caption, Optional<String> filename) {
    try {
      // Checked here, before anything is stored.
      new OutgoingMessage.Media("+10000000000", kind, source, caption, filename);
    } catch (IllegalArgumentException e) {
      throw new ValidationException("media", e.getMessage());
    } catch (NullPointerException e) {
      throw new ValidationException("media", "kind, source, caption and filename are required (captions and file"
          + " names may be empty)");
    }
    if (caption.isPresent() && (caption.get().isBlank() || caption.get().length() > 1024)) {
      throw new ValidationException("caption", "must be 1 to 1024 characters, not blank");
    }
    if (filename.isPresent() && (filename.get().isBlank() || filename.get().length() > 255)) {
      throw new ValidationException("filename", "must be 1 to 255 characters, not blank");
    }
    return send(conversationId, kind.name().toLowerCase(java.util.Locale.ROOT), caption.orElse(null), true,
        to -> new OutgoingMessage.Media(to, kind, source, caption, filename));
  }

  private interface Outgoing {
    OutgoingMessage to(String recipient);
  }

  private WhatsAppMessage send(UUID conversationId, String type, String body, boolean freeForm, Outgoing outgoing) {
    Objects.requireNonNull(conversationId, "conversationId");
    UUID messageId = TenantWork.call(scope, tx -> {
      tx.requireRoleUnlessSystem("whatsapp.inbox.send", AGENTS);
      String recipient; // the phone whenever it is known, as WhatsApp recommends; else the business-scoped id
      UUID profileId;
      Instant lastInbound;
      try (PreparedStatement ps = tx.connection().prepareStatement("select coalesce(ct.wa_phone, ct.bsuid), cv.profile_id,"
          + " cv.last_inbound_at from " + tx.table("conversations") + " cv join " + tx.table("whatsapp_contacts")
          + " ct on ct.organization_id = cv.organization_id and ct.id = cv.contact_id"
          + " where cv.organization_id = ? and cv.id = ? for update of cv")) {
        ps.setObject(1, tx.organizationId());
        ps.setObject(2, conversationId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new NotFoundException("conversation", conversationId);
          }
          recipient = rs.getString(1);
          profileId = rs.getObject(2, UUID.class);
          lastInbound = instant(rs, 3);
        }
      }
      if (freeForm && (lastInbound == null || !lastInbound.isAfter(tx.now().minus(WINDOW)))) {
        throw new CustomerWindowClosedException(conversationId, Optional.ofNullable(lastInbound));
      }
      LocalDate day = LocalDate.ofInstant(tx.now(), tx.scope().organization().get().timeZone());
      tx.takeWithinLimit(SENT_METRIC, day, 1, Limit.MESSAGES_PER_DAY);
      UUID sentBy = tx.actor() instanceof Actor.Member member ? member.userId() : null;
      OutgoingMessage message = outgoing.to(recipient);
      UUID id = tx.queryForId("insert into " + tx.table("messages") + " (organization_id, conversation_id, direction,"
          + " message_type, body, status, sent_by, payload) values (?, ?, 'outbound', ?, ?, 'pending', ?, ?::jsonb)"
          + " returning id", tx.organizationId(), conversationId, type, body, sentBy,
          OutgoingCodec.toJson(message, profileId).toString());
      tx.update("update " + tx.table("conversations") + " set last_message_preview = ?,"
          + " last_message_at = greatest(last_message_at, ?), activity_at = greatest(activity_at, ?)"
          + " where organization_id = ? and id = ?", preview(body == null ? "[" + type + "]" : body),
          Timestamp.from(tx.now()), Timestamp.from(tx.now()),
          tx.organizationId(), conversationId);
      UUID organizationId = tx.organizationId();
      tx.afterCommit(() -> sender.deliver(organizationId, profileId, id, message));
      return id;
    });
    return TenantWork.call(scope, tx -> {
      try (PreparedStatement ps = tx.connection().prepareStatement(String.format(MESSAGE, tx.table("messages"))
          + " where organization_id = ? and id = ?")) {
        ps.setObject(1, tx.organizationId());
        ps.setObject(2, messageId);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return message(rs);
        }
      }
    });
  }

  private interface Assignment {
    Object[] of(TenantTransaction tx) throws SQLException;
  }

  private WhatsAppConversation change(UUID conversationId, String operation, Assignment assignment) {
    Objects.requireNonNull(conversationId, "conversationId");
    return TenantWork.call(scope, tx -> {
      tx.requireRoleUnlessSystem(operation, AGENTS);
      Object[] set = assignment.of(tx);
      try (PreparedStatement ps = tx.connection().prepareStatement("update " + tx.table("conversations") + " set "
          + set[0] + " where organization_id = ? and id = ?")) {
        ps.setObject(1, set[1]);
        ps.setObject(2, tx.organizationId());
        ps.setObject(3, conversationId);
        if (ps.executeUpdate() == 0) {
          throw new NotFoundException("conversation", conversationId);
        }
      }
      return find(tx, conversationId).orElseThrow();
    });
  }

  private static Optional<WhatsAppConversation> find(TenantTransaction tx, UUID conversationId) throws SQLException {
    try (PreparedStatement ps = tx.connection().prepareStatement(String.format(CONVERSATION, tx.table("conversations"),
        tx.table("whatsapp_contacts")) + " where cv.organization_id = ? and cv.id = ?")) {
      ps.setObject(1, tx.organizationId());
      ps.setObject(2, conversationId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(conversation(rs)) : Optional.empty();
      }
    }
  }

  private static WhatsAppConversation conversation(ResultSet rs) throws SQLException {
    Array tags = rs.getArray(8);
    return new WhatsAppConversation(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
        Optional.ofNullable(rs.getString(3)), Optional.ofNullable(rs.getString(4)), Optional.ofNullable(rs.getString(5)),
        Optional.ofNullable(rs.getObject(6, UUID.class)), Optional.ofNullable(rs.getObject(7, UUID.class)),
        tags == null ? List.of() : Arrays.asList((String[]) tags.getArray()), Optional.ofNullable(rs.getString(14)),
        rs.getInt(9),
        Optional.ofNullable(rs.getString(10)), Optional.ofNullable(instant(rs, 11)), Optional.ofNullable(instant(rs, 12)),
        instant(rs, 13));
  }

  private static WhatsAppMessage message(ResultSet rs) throws SQLException {
    int code = rs.getInt(8);
    return new WhatsAppMessage(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
        "inbound".equals(rs.getString(3)), Optional.ofNullable(rs.getString(4)), rs.getString(5),
        Optional.ofNullable(rs.getString(6)), rs.getString(7), rs.wasNull() ? Optional.empty() : Optional.of(code),
        Optional.ofNullable(rs.getString(9)), instant(rs, 10));
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static String preview(String body) {
    return body.length() > 200 ? body.substring(0, 199) + "…" : body;
  }

  private static void limit(int limit) {
    if (limit < 1 || limit > 200) {
      throw new ValidationException("limit", "must be 1 to 200");
    }
  }
}
