package io.crmkit.whatsapp.internal;

import io.crmkit.whatsapp.WhatsAppConversation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A conversation with its contact, as {@link ConversationMapper} reads it; absent values are null. */
record ConversationRow(UUID id, UUID profileId, String contactPhone, String contactBsuid, String contactName,
    UUID customerId, UUID assignedTo, List<String> tags, String notes, int unreadCount, String lastMessagePreview,
    Instant lastMessageAt, Instant lastInboundAt, Instant activityAt) {

  WhatsAppConversation toConversation() {
    return new WhatsAppConversation(id, profileId, Optional.ofNullable(contactPhone), Optional.ofNullable(contactBsuid),
        Optional.ofNullable(contactName), Optional.ofNullable(customerId), Optional.ofNullable(assignedTo),
        tags == null ? List.of() : tags, Optional.ofNullable(notes), unreadCount,
        Optional.ofNullable(lastMessagePreview), Optional.ofNullable(lastMessageAt), Optional.ofNullable(lastInboundAt),
        activityAt);
  }
}
