package io.crmkit.whatsapp;

import io.crmkit.core.platform.Limit;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Something that happened in a WhatsApp conversation, or to a profile itself, told to
 * {@link WhatsAppListener}s in this process after its transaction commits and kept in the
 * {@link WhatsAppOutbox} for other processes. One record per kind, like core's
 * {@code CrmEvent}s; events carry ids, never secrets or message bodies.
 *
 * <pre>{@code
 * if (event instanceof WhatsAppEvent.MessageReceived m) {
 *   notifyAgents(m.conversation(), m.messageId());
 * } else if (event instanceof WhatsAppEvent.ProfileDisconnected d) {
 *   alertAdmins(d.profileId(), d.reason());
 * }
 * }</pre>
 *
 * <p>Every event has the same header: its tenant, its id (the same for every delivery of it:
 * deduplicate by it), the profile (business number) it happened on, its conversation (empty only
 * for an event of the profile itself), its place in its conversation's events (or, for an event of
 * the profile itself, in the profile's own events: 1, 2, 3, … without gaps) and when it was written.
 */
public sealed interface WhatsAppEvent permits WhatsAppEvent.MessageReceived, WhatsAppEvent.MessageStatusChanged,
    WhatsAppEvent.ConversationAssigned, WhatsAppEvent.CustomerLimitReached, WhatsAppEvent.ContactChanged,
    WhatsAppEvent.ProfileDisconnected {

  /** The organization it happened in. */
  UUID organizationId();

  /** The event's id, the same for every delivery of it. */
  UUID id();

  /** The profile (business number) it happened on. */
  UUID profileId();

  /** Its conversation; empty for an event of the profile itself ({@link ProfileDisconnected}). */
  Optional<UUID> conversationId();

  /** Its place in its conversation's (or its profile's own) events: 1, 2, 3, … without gaps. */
  long seq();

  /** When it was written. */
  Instant createdAt();

  private static void checkHeader(UUID organizationId, UUID id, UUID profileId, UUID conversation, Instant createdAt) {
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(profileId, "profileId");
    Objects.requireNonNull(conversation, "conversation");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /**
   * A user's message was stored (once, however often WhatsApp delivered it).
   *
   * @param organizationId the tenant
   * @param id the event's id
   * @param profileId the business number it arrived on
   * @param conversation its conversation
   * @param seq its place in the conversation's events
   * @param createdAt when it was written
   * @param messageId the stored message
   * @param waMessageId WhatsApp's id of the message ({@code wamid.…})
   * @param messageType text, image, location, system, …
   * @param customerId the conversation's customer; empty when none could be linked (see
   *     {@link CustomerLimitReached})
   */
  record MessageReceived(UUID organizationId, UUID id, UUID profileId, UUID conversation, long seq, Instant createdAt,
      UUID messageId, String waMessageId, String messageType, Optional<UUID> customerId) implements WhatsAppEvent {
    /** Creates the event. */
    public MessageReceived {
      checkHeader(organizationId, id, profileId, conversation, createdAt);
      Objects.requireNonNull(messageId, "messageId");
      Objects.requireNonNull(waMessageId, "waMessageId");
      Objects.requireNonNull(messageType, "messageType");
      Objects.requireNonNull(customerId, "customerId");
    }

    @Override
    public Optional<UUID> conversationId() {
      return Optional.of(conversation);
    }
  }

  /**
   * A reply's status moved: the outcome of its send ({@code sent}, {@code failed}, {@code unknown})
   * or a later status WhatsApp reported ({@code delivered}, {@code read}, {@code failed}); statuses
   * only move forward.
   *
   * @param organizationId the tenant
   * @param id the event's id
   * @param profileId the business number it was sent from
   * @param conversation its conversation
   * @param seq its place in the conversation's events
   * @param createdAt when it was written
   * @param messageId the reply
   * @param waMessageId WhatsApp's id of the reply, once known
   * @param status its status now, as {@link WhatsAppMessage#status()} says it
   */
  record MessageStatusChanged(UUID organizationId, UUID id, UUID profileId, UUID conversation, long seq,
      Instant createdAt, UUID messageId, Optional<String> waMessageId, String status) implements WhatsAppEvent {
    /** Creates the event. */
    public MessageStatusChanged {
      checkHeader(organizationId, id, profileId, conversation, createdAt);
      Objects.requireNonNull(messageId, "messageId");
      Objects.requireNonNull(waMessageId, "waMessageId");
      Objects.requireNonNull(status, "status");
    }

    @Override
    public Optional<UUID> conversationId() {
      return Optional.of(conversation);
    }
  }

  /**
   * The conversation was assigned to a member, or unassigned.
   *
   * @param organizationId the tenant
   * @param id the event's id
   * @param profileId the conversation's business number
   * @param conversation the conversation
   * @param seq its place in the conversation's events
   * @param createdAt when it was written
   * @param assignedTo the member it is assigned to now; empty when unassigned
   */
  record ConversationAssigned(UUID organizationId, UUID id, UUID profileId, UUID conversation, long seq,
      Instant createdAt, Optional<UUID> assignedTo) implements WhatsAppEvent {
    /** Creates the event. */
    public ConversationAssigned {
      checkHeader(organizationId, id, profileId, conversation, createdAt);
      Objects.requireNonNull(assignedTo, "assignedTo");
    }

    @Override
    public Optional<UUID> conversationId() {
      return Optional.of(conversation);
    }
  }

  /**
   * An inbound message was kept without a customer because the organization is at its customer
   * limit; the conversation gets one with a later message once there is room.
   *
   * @param organizationId the tenant
   * @param id the event's id
   * @param profileId the business number it arrived on
   * @param conversation the conversation left without a customer
   * @param seq its place in the conversation's events
   * @param createdAt when it was written
   * @param limit the limit reached ({@link Limit#CUSTOMERS})
   * @param value the limit's value
   * @param plan the organization's plan
   */
  record CustomerLimitReached(UUID organizationId, UUID id, UUID profileId, UUID conversation, long seq,
      Instant createdAt, Limit limit, long value, String plan) implements WhatsAppEvent {
    /** Creates the event. */
    public CustomerLimitReached {
      checkHeader(organizationId, id, profileId, conversation, createdAt);
      Objects.requireNonNull(limit, "limit");
      Objects.requireNonNull(plan, "plan");
    }

    @Override
    public Optional<UUID> conversationId() {
      return Optional.of(conversation);
    }
  }

  /**
   * WhatsApp said the user changed number or business-scoped user id; the contact, and so its
   * conversation and customer, stay the same.
   *
   * @param organizationId the tenant
   * @param id the event's id
   * @param profileId the business number it was told on
   * @param conversation the contact's conversation
   * @param seq its place in the conversation's events
   * @param createdAt when it was written
   * @param contactId the contact
   * @param change the system message's type: {@code user_changed_number} or
   *     {@code user_changed_user_id}
   * @param previousPhone the phone before, if known
   * @param phone the phone now, if known
   * @param previousUserId the business-scoped user id before, if known
   * @param userId the business-scoped user id now, if known
   */
  record ContactChanged(UUID organizationId, UUID id, UUID profileId, UUID conversation, long seq, Instant createdAt,
      UUID contactId, String change, Optional<String> previousPhone, Optional<String> phone,
      Optional<String> previousUserId, Optional<String> userId) implements WhatsAppEvent {
    /** Creates the event. */
    public ContactChanged {
      checkHeader(organizationId, id, profileId, conversation, createdAt);
      Objects.requireNonNull(contactId, "contactId");
      Objects.requireNonNull(change, "change");
      Objects.requireNonNull(previousPhone, "previousPhone");
      Objects.requireNonNull(phone, "phone");
      Objects.requireNonNull(previousUserId, "previousUserId");
      Objects.requireNonNull(userId, "userId");
    }

    @Override
    public Optional<UUID> conversationId() {
      return Optional.of(conversation);
    }
  }

  /**
   * The profile lost its proof: its number's webhooks are no longer routed to it until a working
   * access token is stored or it is reactivated. An event of the profile itself, numbered in the
   * profile's own events.
   *
   * @param organizationId the tenant
   * @param id the event's id
   * @param profileId the profile
   * @param seq its place in the profile's own events
   * @param createdAt when it was written
   * @param phoneNumberId the number no longer routed to it
   * @param reason why
   */
  record ProfileDisconnected(UUID organizationId, UUID id, UUID profileId, long seq, Instant createdAt,
      String phoneNumberId, DisconnectReason reason) implements WhatsAppEvent {
    /** Creates the event. */
    public ProfileDisconnected {
      Objects.requireNonNull(organizationId, "organizationId");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(profileId, "profileId");
      Objects.requireNonNull(createdAt, "createdAt");
      Objects.requireNonNull(phoneNumberId, "phoneNumberId");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Optional<UUID> conversationId() {
      return Optional.empty();
    }
  }
}
