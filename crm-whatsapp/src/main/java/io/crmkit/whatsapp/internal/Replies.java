package io.crmkit.whatsapp.internal;

import io.crmkit.core.Actor;
import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.whatsapp.CustomerWindowClosedException;
import io.crmkit.whatsapp.OutgoingMessage;
import io.crmkit.whatsapp.WhatsAppMessage;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The inbox's replies: checked, committed as {@code pending} with the conversation locked (the
 * 24-hour window for free-form ones, {@code max_messages_per_day} in the organization's day), and
 * handed to {@link ReplySender} once that transaction commits, never inside it.
 */
final class Replies {
  /** The usage counter of outbound messages, per day in the organization's time zone. */
  static final String SENT_METRIC = "messages_sent";
  private static final Duration WINDOW = Duration.ofHours(24);
  /** A recipient the records' checks accept, to check a reply's other values before anything is stored. */
  private static final String ANY_RECIPIENT = "+10000000000";

  private final TenantScope scope;
  private final ReplySender sender;

  Replies(TenantScope scope, WhatsAppRuntime runtime) {
    this.scope = scope;
    this.sender = runtime.replies();
  }

  WhatsAppMessage sendText(UUID conversationId, String text) {
    String checked = ReplyInputs.text(text);
    return send(conversationId, "text", checked, true, to -> new OutgoingMessage.Text(to, checked));
  }

  WhatsAppMessage sendTemplate(UUID conversationId, String templateName, String languageCode,
      List<String> bodyParameters) {
    String name = ReplyInputs.templateName(templateName);
    String language = ReplyInputs.languageCode(languageCode);
    List<String> parameters = ReplyInputs.bodyParameters(bodyParameters);
    return send(conversationId, "template", name, false,
        to -> OutgoingMessage.Template.of(to, name, language, parameters));
  }

  WhatsAppMessage sendMedia(UUID conversationId, OutgoingMessage.MediaKind kind, OutgoingMessage.MediaSource source,
      Optional<String> caption, Optional<String> filename) {
    if (kind == null) {
      throw new ValidationException("kind", "is required");
    }
    OutgoingMessage.MediaSource checkedSource = ReplyInputs.source(source);
    Optional<String> checkedCaption = ReplyInputs.caption(caption);
    Optional<String> checkedFilename = ReplyInputs.filename(filename);
    try {
      // Checked here, before anything is stored: the record refuses a caption or file name the kind does not take.
      new OutgoingMessage.Media(ANY_RECIPIENT, kind, checkedSource, checkedCaption, checkedFilename);
    } catch (IllegalArgumentException e) {
      throw new ValidationException("media", e.getMessage());
    }
    return send(conversationId, kind.name().toLowerCase(Locale.ROOT), checkedCaption.orElse(null), true,
        to -> new OutgoingMessage.Media(to, kind, checkedSource, checkedCaption, checkedFilename));
  }

  /** The reply to a recipient: a phone in E.164 or a business-scoped user id. */
  @FunctionalInterface
  private interface Outgoing {
    OutgoingMessage to(String recipient);
  }

  private WhatsAppMessage send(UUID conversationId, String type, String body, boolean freeForm, Outgoing outgoing) {
    Objects.requireNonNull(conversationId, "conversationId");
    UUID messageId = TenantWork.call(scope, tx -> {
      tx.requireRoleUnlessSystem("whatsapp.inbox.send", SqlWhatsAppInbox.AGENTS);
      ConversationMapper conversations = tx.mapper(ConversationMapper.class);
      // The phone whenever it is known, as WhatsApp recommends; else the business-scoped id.
      ConversationMapper.ReplyTarget target = conversations.lockReplyTarget(tx.organizationId(), conversationId);
      if (target == null) {
        throw new NotFoundException("conversation", conversationId);
      }
      if (freeForm && (target.lastInboundAt() == null || !target.lastInboundAt().isAfter(tx.now().minus(WINDOW)))) {
        throw new CustomerWindowClosedException(conversationId, Optional.ofNullable(target.lastInboundAt()));
      }
      LocalDate day = LocalDate.ofInstant(tx.now(), tx.scope().organization().get().timeZone());
      tx.takeWithinLimit(SENT_METRIC, day, 1, Limit.MESSAGES_PER_DAY);
      UUID sentBy = tx.actor() instanceof Actor.Member member ? member.userId() : null;
      OutgoingMessage message = outgoing.to(target.recipient());
      UUID id = tx.mapper(MessageMapper.class).insertReply(tx.organizationId(), conversationId, type, body, sentBy,
          OutgoingCodec.toJson(message, target.profileId()));
      conversations.replied(tx.organizationId(), conversationId, InboundContent.preview(body, type), tx.now());
      UUID organizationId = tx.organizationId();
      tx.afterCommit(() -> sender.deliver(organizationId, target.profileId(), id, message));
      return id;
    });
    return TenantWork.call(scope, tx -> tx.mapper(MessageMapper.class).find(tx.organizationId(), messageId).toMessage());
  }
}
