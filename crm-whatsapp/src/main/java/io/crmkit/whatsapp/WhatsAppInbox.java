package io.crmkit.whatsapp;

import io.crmkit.core.Page;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The organization's WhatsApp inbox: conversations, their messages, assignment, tags, read state,
 * and replies. Members read; admins, managers and agents act. Each call is one transaction (inside
 * {@code scope.inTransaction} it joins the callback's); a reply is committed as {@code pending}
 * first and sent to WhatsApp only after that commit, never inside a database transaction.
 *
 * <p>Bad input is a {@link io.crmkit.core.exception.ValidationException} naming the field, before
 * anything is stored (control characters and broken UTF-16 are refused; line breaks and tabs only
 * in notes, texts and captions); a conversation that is not this organization's is a
 * {@link io.crmkit.core.exception.NotFoundException} for {@code conversation}, exactly as one that
 * does not exist.
 *
 * <pre>{@code
 * WhatsAppInbox inbox = scope.service(WhatsAppInbox.class);   // acting as the scope's actor
 * Page<WhatsAppConversation> mine = inbox.conversations(ConversationQuery.builder().assignedTo(me).build(), 50,
 *     Optional.empty());
 * }</pre>
 */
public interface WhatsAppInbox {

  /**
   * The conversations {@code query} selects, latest activity first, {@code limit} (1 to 200) at a
   * time, by keyset.
   *
   * @param cursor the previous page's {@link Page#nextCursor()} for the same query, or empty
   * @throws io.crmkit.core.exception.ValidationException on {@code limit}, {@code cursor}, or a
   *     {@code tag} that is no tag (one line, 1 to 64 characters)
   */
  Page<WhatsAppConversation> conversations(ConversationQuery query, int limit, Optional<String> cursor);

  /** One conversation, if it is this organization's. */
  Optional<WhatsAppConversation> conversation(UUID conversationId);

  /**
   * A conversation's messages, newest first, {@code limit} (1 to 200) at a time, by keyset.
   *
   * @throws io.crmkit.core.exception.NotFoundException if the conversation is not this organization's
   */
  Page<WhatsAppMessage> messages(UUID conversationId, int limit, Optional<String> cursor);

  /**
   * Assigns the conversation to an active member, or unassigns it with an empty id.
   *
   * @throws io.crmkit.core.exception.ValidationException on {@code userId} for anyone but an active member
   *     of this organization
   */
  WhatsAppConversation assign(UUID conversationId, Optional<UUID> userId);

  /**
   * Adds tags (those it has already are kept once), each 1 to 64 characters.
   *
   * @throws io.crmkit.core.exception.ValidationException on {@code tags} for a bad tag, or when the
   *     conversation would have more than 50; nothing changes
   */
  WhatsAppConversation tag(UUID conversationId, Collection<String> tags);

  /**
   * Sets the conversation's internal notes (at most 10,000 characters, kept as written, line breaks
   * and tabs allowed), or clears them with an empty or blank value.
   */
  WhatsAppConversation setNotes(UUID conversationId, Optional<String> notes);

  /**
   * Marks the conversation read: its unread count goes to zero, and after the commit WhatsApp is
   * told the user's latest message was read (blue ticks).
   */
  WhatsAppConversation markRead(UUID conversationId);

  /**
   * Replies with free-form text: stored as {@code pending}, counted against
   * {@code max_messages_per_day} (the organization's day), committed, then sent; the returned
   * message has the outcome when the call was its own transaction ({@code sent}, {@code failed},
   * {@code unknown}), or is still {@code pending} inside the host's transaction, to be sent when
   * it commits. Rate limits and connection failures are retried a few times with backoff.
   *
   * <p>An answer that does not say whether WhatsApp took the message (a timeout after sending, an
   * HTTP 5xx or Meta's 131000, a proxy's error page) leaves it {@code unknown} with the reason,
   * not {@code failed}: it may have reached the user, so it is never resent, and its status
   * callback, if one comes, settles it. Sending the text again is the host's choice, made with a
   * new call (a new message, which the user may then get twice); {@code failed} means WhatsApp
   * refused it and nothing was delivered.
   *
   * @param text 1 to 4,096 characters, not blank, kept as written (line breaks allowed)
   * @throws CustomerWindowClosedException if the user last wrote more than 24 hours ago
   * @throws io.crmkit.core.exception.LimitExceededException at {@code max_messages_per_day}
   */
  WhatsAppMessage sendText(UUID conversationId, String text);

  /**
   * Replies with an image, video, audio file, document or sticker, by public HTTPS link or by the
   * id of an upload to the media endpoint; free-form, so only within the 24-hour window, and
   * otherwise as {@link #sendText}.
   *
   * <pre>{@code
   * inbox.sendMedia(conversationId, OutgoingMessage.MediaKind.DOCUMENT,
   *     OutgoingMessage.MediaSource.link("https://files.example.com/invoice-1042.pdf"),
   *     Optional.of("Your invoice"), Optional.of("invoice-1042.pdf"));
   * }</pre>
   *
   * @param source an {@code https://} link (at most 2,048 characters, no spaces) or an uploaded media id
   * @param caption shown under an image, video or document: 1 to 1,024 characters
   * @param filename the name a document is shown with: one line of 1 to 255 characters
   * @throws io.crmkit.core.exception.ValidationException naming the field for a bad value, or on
   *     {@code media} if a caption or file name does not go with the kind
   * @throws CustomerWindowClosedException if the user last wrote more than 24 hours ago
   */
  WhatsAppMessage sendMedia(UUID conversationId, OutgoingMessage.MediaKind kind, OutgoingMessage.MediaSource source,
      Optional<String> caption, Optional<String> filename);

  /**
   * Replies with an approved template, possible at any time; otherwise as {@link #sendText}.
   *
   * @param templateName the template's name: lowercase letters, digits and underscores
   * @param languageCode its language, e.g. {@code ar} or {@code en_US}
   * @param bodyParameters at most 100 values, each one line of 1 to 1,024 characters
   * @throws io.crmkit.core.exception.ValidationException naming the field for a bad value
   */
  WhatsAppMessage sendTemplate(UUID conversationId, String templateName, String languageCode,
      List<String> bodyParameters);
}
