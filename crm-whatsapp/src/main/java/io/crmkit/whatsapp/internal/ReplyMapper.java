package io.crmkit.whatsapp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/**
 * A reply's way out: claimed {@code pending → sending}, then its outcome recorded (also over
 * {@code unknown}: a send that outlived a resumer's patience still settles). SQL in ReplyMapper.xml.
 */
interface ReplyMapper {
  /** {@code pending → sending}; 0 if someone else took it (or it is gone). */
  int claim(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  /** Accepted by WhatsApp with {@code waMessageId}; 0 if settled already. */
  int recordAccepted(@Param("organizationId") UUID organizationId, @Param("id") UUID id,
      @Param("waMessageId") String waMessageId, @Param("at") Instant at);

  /** Refused or never handed over; 0 if settled already. */
  int recordFailed(@Param("organizationId") UUID organizationId, @Param("id") UUID id,
      @Param("errorCode") int errorCode, @Param("errorMessage") String errorMessage, @Param("at") Instant at);

  /**
   * No answer that says (a timeout, a server error): it may have gone out; 0 unless it was still
   * {@code sending}.
   *
   * @param errorCode the provider's code of a server error, or null
   */
  int recordUnknown(@Param("organizationId") UUID organizationId, @Param("id") UUID id,
      @Param("errorCode") Integer errorCode, @Param("reason") String reason, @Param("at") Instant at);

  /** The reply as it settled. */
  Settled settled(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  /**
   * Across tenants, outside any: replies a stopped process left (whatsapp_stalled_sends), those
   * left {@code sending} marked {@code unknown}, those left {@code pending} returned to be sent.
   *
   * @param olderThan an interval, e.g. {@code 120000 milliseconds}
   */
  List<Stalled> stalled(@Param("olderThan") String olderThan, @Param("limit") int limit);

  /**
   * A settled reply.
   *
   * @param waMessageId null when WhatsApp gave none
   */
  record Settled(UUID conversationId, String status, String waMessageId) {}

  /** A reply left {@code pending}, with the request it was stored with. */
  record Stalled(UUID organizationId, UUID messageId, JsonNode payload) {}
}
