package io.crmkit.whatsapp;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Something that happened in a WhatsApp conversation, or to a profile itself, for listeners in this
 * process and for the outbox that other processes drain.
 *
 * @param organizationId the tenant
 * @param id the event's id, the same for every delivery of it (deduplicate by it)
 * @param profileId the profile (business number) it happened on
 * @param conversationId its conversation; empty for an event of the profile itself
 * @param seq its place in its conversation's events (or, for an event of the profile itself, in the
 *     profile's own events): 1, 2, 3, … without gaps
 * @param type {@code message_received}, {@code message_status}, {@code conversation_assigned},
 *     {@code customer_limit_reached} (an inbound message was kept without a customer because the
 *     organization is at {@code max_customers}; payload: limit, value, plan),
 *     {@code contact_changed} (WhatsApp said the user changed number or business-scoped user id;
 *     payload: contact_id, change, previous_phone, phone, previous_user_id, user_id, with
 *     {@code ""} for none; the conversation and customer stay the same), or
 *     {@code profile_disconnected} (the profile lost its proof: its number's webhooks are no longer
 *     routed to it until a working access token is stored or it is reactivated; payload:
 *     profile_id, phone_number_id, reason ({@code session_refused} or
 *     {@code number_proven_elsewhere}, see {@link DisconnectReason}))
 * @param payload what happened: message ids, status, assignee, …
 * @param createdAt when it was written
 */
public record WhatsAppEvent(UUID organizationId, UUID id, UUID profileId, Optional<UUID> conversationId, long seq,
    String type, Map<String, Object> payload, Instant createdAt) {

  /** Creates the event; the payload is copied. */
  public WhatsAppEvent {
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(profileId, "profileId");
    Objects.requireNonNull(conversationId, "conversationId");
    Objects.requireNonNull(type, "type");
    payload = Map.copyOf(payload);
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
