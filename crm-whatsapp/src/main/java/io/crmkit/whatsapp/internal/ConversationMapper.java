package io.crmkit.whatsapp.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** conversations: a profile's thread with one contact. SQL in ConversationMapper.xml. */
interface ConversationMapper {
  /** The contact's conversation on the profile, created (with the contact's customer) if there is none. */
  int createIfAbsent(@Param("organizationId") UUID organizationId, @Param("profileId") UUID profileId,
      @Param("contactId") UUID contactId);

  /** The contact's conversation on the profile, locked for the rest of the transaction. */
  Locked lockForContact(@Param("organizationId") UUID organizationId, @Param("profileId") UUID profileId,
      @Param("contactId") UUID contactId);

  /** A message the user wrote at {@code at}: one more unread, and the last message unless a later one is there. */
  int inboundArrived(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("at") Instant at,
      @Param("preview") String preview);

  int linkCustomer(@Param("organizationId") UUID organizationId, @Param("id") UUID id,
      @Param("customerId") UUID customerId);

  /**
   * The conversations a query selects, latest activity first, after the keyset position
   * ({@code afterAt}, {@code afterId}) when given; null narrows nothing.
   */
  List<ConversationRow> list(@Param("organizationId") UUID organizationId, @Param("assignedTo") UUID assignedTo,
      @Param("unassigned") boolean unassigned, @Param("unreadOnly") boolean unreadOnly, @Param("tag") String tag,
      @Param("profileId") UUID profileId, @Param("customerId") UUID customerId, @Param("afterAt") Instant afterAt,
      @Param("afterId") UUID afterId, @Param("limit") int limit);

  ConversationRow find(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  /** The user's id if they are an active member of the organization. */
  UUID activeMember(@Param("organizationId") UUID organizationId, @Param("userId") UUID userId);

  /** Assigns to the member, or unassigns with null. */
  int assign(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("userId") UUID userId);

  /** Adds tags, each once, the ones it had first. */
  int addTags(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("tags") List<String> tags);

  /** Sets or (with null) clears the notes. */
  int setNotes(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("notes") String notes);

  int clearUnread(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  /** The user's latest message, while the conversation has unread ones: what a read receipt names. */
  LatestInbound latestUnread(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  /** Who a reply goes to, locking the conversation: its phone (else its BSUID), profile and window. */
  ReplyTarget lockReplyTarget(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  /** A reply at {@code at} is the last message, unless a later one is there. */
  int replied(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("preview") String preview,
      @Param("at") Instant at);

  /** Links the conversations of customer {@code from} to customer {@code to} (a merge). */
  int moveToCustomer(@Param("organizationId") UUID organizationId, @Param("from") UUID from, @Param("to") UUID to);

  /** A user's message a read receipt names, and the profile it came in on. */
  record LatestInbound(String waMessageId, UUID profileId) {}

  /**
   * A reply's recipient and window.
   *
   * @param recipient the phone in E.164, else the business-scoped user id
   * @param lastInboundAt when the user last wrote; null if never
   */
  record ReplyTarget(String recipient, UUID profileId, Instant lastInboundAt) {}

  /**
   * A locked conversation.
   *
   * @param customerId null when it has no customer
   */
  record Locked(UUID id, UUID customerId) {}
}
