package io.crmkit.whatsapp;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Something that happened in a WhatsApp conversation, for listeners in this process and for the
 * outbox that other processes drain.
 *
 * @param organizationId the tenant
 * @param id the event's id, the same for every delivery of it (deduplicate by it)
 * @param conversationId its conversation
 * @param seq its place in the conversation's events: 1, 2, 3, … without gaps
 * @param type {@code message_received}, {@code message_status}, {@code conversation_assigned},
 *     {@code customer_limit_reached} (an inbound message was kept without a customer because the
 *     organization is at {@code max_customers}; payload: limit, value, plan), or
 *     {@code contact_changed} (WhatsApp said the user changed number or business-scoped user id;
 *     payload: contact_id, change, previous_phone, phone, previous_user_id, user_id, with
 *     {@code ""} for none; the conversation and customer stay the same)
 * @param payload what happened: message ids, status, assignee, …
 * @param createdAt when it was written
 */
public record WhatsAppEvent(UUID organizationId, UUID id, UUID conversationId, long seq, String type,
    Map<String, Object> payload, Instant createdAt) {

  /** Creates the event; the payload is copied. */
  public WhatsAppEvent {
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(conversationId, "conversationId");
    Objects.requireNonNull(type, "type");
    payload = Map.copyOf(payload);
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
