package io.crmkit.whatsapp.internal;

import io.crmkit.whatsapp.WhatsAppMessage;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A message as {@link MessageMapper} reads it; absent values are null. */
record MessageRow(UUID id, UUID conversationId, String direction, String waMessageId, String type, String body,
    String status, Integer errorCode, String errorMessage, Instant createdAt) {

  WhatsAppMessage toMessage() {
    return new WhatsAppMessage(id, conversationId, "inbound".equals(direction), Optional.ofNullable(waMessageId), type,
        Optional.ofNullable(body), status, Optional.ofNullable(errorCode), Optional.ofNullable(errorMessage),
        createdAt);
  }
}
