package io.crmkit.whatsapp.internal;

import io.crmkit.core.Page;
import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.spi.Keyset;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.core.users.Role;
import io.crmkit.whatsapp.ConversationQuery;
import io.crmkit.whatsapp.OutgoingMessage;
import io.crmkit.whatsapp.WhatsAppConversation;
import io.crmkit.whatsapp.WhatsAppInbox;
import io.crmkit.whatsapp.WhatsAppMessage;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link WhatsAppInbox} over conversations and messages, through crm-core's {@link TenantWork}:
 * the lists by keyset and the conversation's changes here, replies through {@link Replies}.
 */
final class SqlWhatsAppInbox implements WhatsAppInbox {
  /** Admins, managers and agents act on conversations; members read. */
  static final Role[] AGENTS = {Role.ADMIN, Role.MANAGER, Role.AGENT};
  private static final int MAX_PAGE = 200;
  private static final int MAX_NOTES = 10_000;

  private final TenantScope scope;
  private final WhatsAppRuntime runtime;
  private final Replies replies;

  /** The inbox of {@code scope}'s organization. */
  SqlWhatsAppInbox(TenantScope scope, WhatsAppRuntime runtime) {
    this.scope = scope;
    this.runtime = runtime;
    this.replies = new Replies(scope, runtime);
  }

  @Override
  public Page<WhatsAppConversation> conversations(ConversationQuery query, int limit, Optional<String> cursor) {
    Objects.requireNonNull(query, "query");
    // A tag as tags are stored: one line, stripped, 1 to 64 characters.
    String tag = query.tag().map(t -> Inputs.text("tag", t, 64)).orElse(null);
    Inputs.pageSize("limit", limit, MAX_PAGE);
    Keyset after = Objects.requireNonNull(cursor, "cursor").map(Keyset::decode).orElse(null);
    return TenantWork.call(scope, tx -> {
      List<WhatsAppConversation> rows = tx.mapper(ConversationMapper.class).list(tx.organizationId(),
          query.assignedTo().orElse(null), query.unassigned(), query.unreadOnly(), tag,
          query.profileId().orElse(null), query.customerId().orElse(null), after == null ? null : after.at(),
          after == null ? null : after.id(), limit + 1).stream().map(ConversationRow::toConversation).toList();
      return Keyset.page(rows, limit, c -> new Keyset(c.activityAt(), c.id()));
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
    Inputs.pageSize("limit", limit, MAX_PAGE);
    Keyset after = Objects.requireNonNull(cursor, "cursor").map(Keyset::decode).orElse(null);
    return TenantWork.call(scope, tx -> {
      if (find(tx, conversationId).isEmpty()) {
        throw new NotFoundException("conversation", conversationId);
      }
      List<WhatsAppMessage> rows = tx.mapper(MessageMapper.class).page(tx.organizationId(), conversationId,
          after == null ? null : after.at(), after == null ? null : after.id(), limit + 1).stream()
          .map(MessageRow::toMessage).toList();
      return Keyset.page(rows, limit, m -> new Keyset(m.createdAt(), m.id()));
    });
  }

  @Override
  public WhatsAppConversation assign(UUID conversationId, Optional<UUID> userId) {
    Objects.requireNonNull(userId, "userId");
    return change(conversationId, "whatsapp.inbox.assign", (tx, conversations) -> {
      if (userId.isPresent() && conversations.activeMember(tx.organizationId(), userId.get()) == null) {
        throw new ValidationException("userId", "is not an active member of this organization");
      }
      runtime.events.append(tx, conversationId, EventCodec.conversationAssigned(userId));
      return conversations.assign(tx.organizationId(), conversationId, userId.orElse(null));
    });
  }

  @Override
  public WhatsAppConversation tag(UUID conversationId, Collection<String> tags) {
    List<String> checked = Inputs.tags("tags", tags);
    return change(conversationId, "whatsapp.inbox.tag", (tx, conversations) -> {
      int changed = conversations.addTags(tx.organizationId(), conversationId, checked);
      // Tags add up: the one rule's cap holds for what the conversation ends up with.
      if (changed > 0 && find(tx, conversationId).orElseThrow().tags().size() > Inputs.MAX_TAGS) {
        throw new ValidationException("tags", "a conversation has at most " + Inputs.MAX_TAGS + " tags");
      }
      return changed;
    });
  }

  @Override
  public WhatsAppConversation setNotes(UUID conversationId, Optional<String> notes) {
    Objects.requireNonNull(notes, "notes");
    // Blank notes are none, as every optional multi-line text.
    String checked = Inputs.optionalMultiline("notes", notes.orElse(null), MAX_NOTES).orElse(null);
    return change(conversationId, "whatsapp.inbox.setNotes",
        (tx, conversations) -> conversations.setNotes(tx.organizationId(), conversationId, checked));
  }

  @Override
  public WhatsAppConversation markRead(UUID conversationId) {
    return change(conversationId, "whatsapp.inbox.markRead", (tx, conversations) -> {
      ConversationMapper.LatestInbound latest = conversations.latestUnread(tx.organizationId(), conversationId);
      if (latest != null) {
        // After the commit, tell WhatsApp the user's latest message was read.
        UUID organizationId = tx.organizationId();
        tx.afterCommit(() -> {
          TenantScope system = runtime.crm.tenant(organizationId).asSystem("whatsapp-sender");
          runtime.profiles(system).sender(latest.profileId())
              .ifPresent(s -> runtime.gateway.markRead(s, latest.waMessageId()));
        });
      }
      return conversations.clearUnread(tx.organizationId(), conversationId);
    });
  }

  @Override
  public WhatsAppMessage sendText(UUID conversationId, String text) {
    return replies.sendText(conversationId, text);
  }

  @Override
  public WhatsAppMessage sendTemplate(UUID conversationId, String templateName, String languageCode,
      List<String> bodyParameters) {
    return replies.sendTemplate(conversationId, templateName, languageCode, bodyParameters);
  }

  @Override
  public WhatsAppMessage sendMedia(UUID conversationId, OutgoingMessage.MediaKind kind,
      OutgoingMessage.MediaSource source, Optional<String> caption, Optional<String> filename) {
    return replies.sendMedia(conversationId, kind, source, caption, filename);
  }

  /** A change of a conversation: its statement returns the rows it changed. */
  @FunctionalInterface
  private interface Change {
    int apply(TenantTransaction tx, ConversationMapper conversations);
  }

  /** Runs a change as an agent (or the system), and returns the conversation as it is then. */
  private WhatsAppConversation change(UUID conversationId, String operation, Change change) {
    Objects.requireNonNull(conversationId, "conversationId");
    return TenantWork.call(scope, tx -> {
      tx.requireRoleUnlessSystem(operation, AGENTS);
      if (change.apply(tx, tx.mapper(ConversationMapper.class)) == 0) {
        throw new NotFoundException("conversation", conversationId);
      }
      return find(tx, conversationId).orElseThrow();
    });
  }

  private static Optional<WhatsAppConversation> find(TenantTransaction tx, UUID conversationId) {
    return Optional.ofNullable(tx.mapper(ConversationMapper.class).find(tx.organizationId(), conversationId))
        .map(ConversationRow::toConversation);
  }
}
