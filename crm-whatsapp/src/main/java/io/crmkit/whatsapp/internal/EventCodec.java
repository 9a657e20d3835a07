package io.crmkit.whatsapp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.spi.Json;
import io.crmkit.whatsapp.DisconnectReason;
import io.crmkit.whatsapp.WhatsAppEvent;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The one place WhatsApp events are written to and read from the outbox's terms: an event type
 * and a jsonb payload of strings (ids as text, {@code ""} for none), the shape rows already in
 * {@code whatsapp_events} have. {@link Events} encodes what happened and decodes the row it wrote
 * for listeners; the outbox decodes the rows it claims.
 */
final class EventCodec {
  static final String MESSAGE_RECEIVED = "message_received";
  static final String MESSAGE_STATUS = "message_status";
  static final String CONVERSATION_ASSIGNED = "conversation_assigned";
  static final String CUSTOMER_LIMIT_REACHED = "customer_limit_reached";
  static final String CONTACT_CHANGED = "contact_changed";
  static final String PROFILE_DISCONNECTED = "profile_disconnected";

  private EventCodec() {}

  /** What happened, before it is numbered in its conversation's (or profile's) events. */
  record Body(String type, ObjectNode payload) {}

  static Body messageReceived(UUID messageId, String waMessageId, String messageType, Optional<UUID> customerId) {
    ObjectNode payload = Json.MAPPER.createObjectNode();
    payload.put("message_id", messageId.toString());
    payload.put("wa_message_id", waMessageId);
    payload.put("message_type", messageType);
    payload.put("customer_id", customerId.map(UUID::toString).orElse(""));
    return new Body(MESSAGE_RECEIVED, payload);
  }

  static Body messageStatus(UUID messageId, Optional<String> waMessageId, String status) {
    ObjectNode payload = Json.MAPPER.createObjectNode();
    payload.put("message_id", messageId.toString());
    payload.put("wa_message_id", waMessageId.orElse(""));
    payload.put("status", status);
    return new Body(MESSAGE_STATUS, payload);
  }

  static Body conversationAssigned(Optional<UUID> assignedTo) {
    ObjectNode payload = Json.MAPPER.createObjectNode();
    payload.put("assigned_to", assignedTo.map(UUID::toString).orElse(""));
    return new Body(CONVERSATION_ASSIGNED, payload);
  }

  static Body customerLimitReached(Limit limit, long value, String plan) {
    ObjectNode payload = Json.MAPPER.createObjectNode();
    payload.put("limit", limit.column());
    payload.put("value", value);
    payload.put("plan", plan);
    return new Body(CUSTOMER_LIMIT_REACHED, payload);
  }

  /** A contact's change of identity; {@code null} for a value it did not have. */
  static Body contactChanged(UUID contactId, String change, String previousPhone, String phone,
      String previousUserId, String userId) {
    ObjectNode payload = Json.MAPPER.createObjectNode();
    payload.put("contact_id", contactId.toString());
    payload.put("change", change);
    payload.put("previous_phone", previousPhone == null ? "" : previousPhone);
    payload.put("phone", phone == null ? "" : phone);
    payload.put("previous_user_id", previousUserId == null ? "" : previousUserId);
    payload.put("user_id", userId == null ? "" : userId);
    return new Body(CONTACT_CHANGED, payload);
  }

  static Body profileDisconnected(UUID profileId, String phoneNumberId, DisconnectReason reason) {
    ObjectNode payload = Json.MAPPER.createObjectNode();
    payload.put("profile_id", profileId.toString());
    payload.put("phone_number_id", phoneNumberId);
    payload.put("reason", reason.name().toLowerCase(Locale.ROOT));
    return new Body(PROFILE_DISCONNECTED, payload);
  }

  /**
   * The event an outbox row holds.
   *
   * @throws IllegalArgumentException for a type this version does not know or a payload without
   *     what its type needs
   */
  static WhatsAppEvent decode(EventRow row) {
    JsonNode p = row.payload();
    UUID org = row.organizationId();
    switch (row.eventType()) {
      case MESSAGE_RECEIVED:
        return new WhatsAppEvent.MessageReceived(org, row.id(), row.profileId(), conversation(row), row.seq(),
            row.createdAt(), uuid(p, "message_id").orElseThrow(() -> missing(row, "message_id")),
            text(p, "wa_message_id").orElse(""), text(p, "message_type").orElse("unsupported"), uuid(p, "customer_id"));
      case MESSAGE_STATUS:
        return new WhatsAppEvent.MessageStatusChanged(org, row.id(), row.profileId(), conversation(row), row.seq(),
            row.createdAt(), uuid(p, "message_id").orElseThrow(() -> missing(row, "message_id")),
            text(p, "wa_message_id"), text(p, "status").orElseThrow(() -> missing(row, "status")));
      case CONVERSATION_ASSIGNED:
        return new WhatsAppEvent.ConversationAssigned(org, row.id(), row.profileId(), conversation(row), row.seq(),
            row.createdAt(), uuid(p, "assigned_to"));
      case CUSTOMER_LIMIT_REACHED:
        return new WhatsAppEvent.CustomerLimitReached(org, row.id(), row.profileId(), conversation(row), row.seq(),
            row.createdAt(), Limit.ofColumn(text(p, "limit").orElseThrow(() -> missing(row, "limit"))),
            p.path("value").asLong(), text(p, "plan").orElse(""));
      case CONTACT_CHANGED:
        return new WhatsAppEvent.ContactChanged(org, row.id(), row.profileId(), conversation(row), row.seq(),
            row.createdAt(), uuid(p, "contact_id").orElseThrow(() -> missing(row, "contact_id")),
            text(p, "change").orElse(""), text(p, "previous_phone"), text(p, "phone"), text(p, "previous_user_id"),
            text(p, "user_id"));
      case PROFILE_DISCONNECTED:
        return new WhatsAppEvent.ProfileDisconnected(org, row.id(), row.profileId(), row.seq(), row.createdAt(),
            text(p, "phone_number_id").orElseThrow(() -> missing(row, "phone_number_id")),
            DisconnectReason.valueOf(text(p, "reason").orElseThrow(() -> missing(row, "reason"))
                .toUpperCase(Locale.ROOT)));
      default:
        throw new IllegalArgumentException("outbox event " + row.id() + " has a type this version does not know: "
            + row.eventType());
    }
  }

  private static UUID conversation(EventRow row) {
    if (row.conversationId() == null) {
      throw new IllegalArgumentException("outbox event " + row.id() + " (" + row.eventType() + ") has no conversation");
    }
    return row.conversationId();
  }

  private static Optional<String> text(JsonNode payload, String field) {
    JsonNode value = payload.path(field);
    return value.isValueNode() && !value.asText().isEmpty() ? Optional.of(value.asText()) : Optional.empty();
  }

  private static Optional<UUID> uuid(JsonNode payload, String field) {
    return text(payload, field).map(UUID::fromString);
  }

  private static IllegalArgumentException missing(EventRow row, String field) {
    return new IllegalArgumentException("outbox event " + row.id() + " (" + row.eventType() + ") has no " + field);
  }
}
