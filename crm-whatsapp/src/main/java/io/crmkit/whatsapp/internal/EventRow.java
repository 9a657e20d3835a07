package io.crmkit.whatsapp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * A {@code whatsapp_events} row as written or claimed, decoded by {@link EventCodec}.
 *
 * @param conversationId null for an event of the profile itself
 */
record EventRow(UUID organizationId, UUID id, UUID profileId, UUID conversationId, long seq, String eventType,
    JsonNode payload, Instant createdAt) {}
