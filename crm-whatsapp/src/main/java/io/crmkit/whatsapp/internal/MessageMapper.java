package io.crmkit.whatsapp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** messages: a user's, stored by the webhook, and replies, as the inbox lists and stores them. SQL in MessageMapper.xml. */
interface MessageMapper {
  /** The message with this WhatsApp id, either way, or null. */
  UUID idByWamid(@Param("organizationId") UUID organizationId, @Param("waMessageId") String waMessageId);

  /** A conversation's messages, newest first, after the keyset position when given, at most {@code limit}. */
  List<MessageRow> page(@Param("organizationId") UUID organizationId, @Param("conversationId") UUID conversationId,
      @Param("afterAt") Instant afterAt, @Param("afterId") UUID afterId, @Param("limit") int limit);

  MessageRow find(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  /** A reply, committed {@code pending}; {@code payload} is what a restart sends. */
  UUID insertReply(@Param("organizationId") UUID organizationId, @Param("conversationId") UUID conversationId,
      @Param("type") String type, @Param("body") String body, @Param("sentBy") UUID sentBy,
      @Param("payload") JsonNode payload);

  /** Stores a user's message once: null if one with its WhatsApp id is stored already. */
  UUID insertInbound(@Param("organizationId") UUID organizationId, @Param("conversationId") UUID conversationId,
      @Param("waMessageId") String waMessageId, @Param("content") InboundContent content,
      @Param("payload") JsonNode payload, @Param("at") Instant at);
}
