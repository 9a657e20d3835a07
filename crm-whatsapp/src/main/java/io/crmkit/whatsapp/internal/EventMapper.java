package io.crmkit.whatsapp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** whatsapp_events: appended in the causing tenant transaction, claimed and acknowledged across tenants. SQL in EventMapper.xml. */
interface EventMapper {
  /** Numbers the event in its conversation's events (taking the conversation's row lock) and writes it. */
  EventRow appendToConversation(@Param("organizationId") UUID organizationId,
      @Param("conversationId") UUID conversationId, @Param("type") String type, @Param("payload") JsonNode payload);

  /** Numbers an event of the profile itself in the profile's own events (taking its row lock) and writes it. */
  EventRow appendToProfile(@Param("organizationId") UUID organizationId, @Param("profileId") UUID profileId,
      @Param("type") String type, @Param("payload") JsonNode payload);

  /** Claims runs of unacknowledged events of all tenants under {@code claim} (crm.claim_whatsapp_event_runs). */
  List<EventRow> claimRuns(@Param("limit") int limit, @Param("claim") UUID claim);

  /** Acknowledges (or counts a failed attempt of) events still carrying {@code claim}; ids as text. */
  int ack(@Param("claim") UUID claim, @Param("organizationIds") List<String> organizationIds,
      @Param("ids") List<String> ids, @Param("handled") boolean handled);
}
