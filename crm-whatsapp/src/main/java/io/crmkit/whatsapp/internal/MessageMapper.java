package io.crmkit.whatsapp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** messages as the webhook stores them. SQL in MessageMapper.xml. */
interface MessageMapper {
  /** The message with this WhatsApp id, either way, or null. */
  UUID idByWamid(@Param("organizationId") UUID organizationId, @Param("waMessageId") String waMessageId);

  /** Stores a user's message once: null if one with its WhatsApp id is stored already. */
  UUID insertInbound(@Param("organizationId") UUID organizationId, @Param("conversationId") UUID conversationId,
      @Param("waMessageId") String waMessageId, @Param("content") InboundContent content,
      @Param("payload") JsonNode payload, @Param("at") Instant at);
}
