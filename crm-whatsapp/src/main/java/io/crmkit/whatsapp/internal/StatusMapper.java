package io.crmkit.whatsapp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** Delivery statuses of replies: applied to messages, or kept in whatsapp_early_statuses until the send records its wamid. SQL in StatusMapper.xml. */
interface StatusMapper {
  /** The reply with this WhatsApp id, or null. */
  UUID replyByWamid(@Param("organizationId") UUID organizationId, @Param("waMessageId") String waMessageId);

  /**
   * Gives a reply whose answer was lost (or has not come yet) the WhatsApp id its tagged status
   * names: only this tenant's reply on this profile, still without one. Returns rows changed.
   */
  int attachByTag(@Param("organizationId") UUID organizationId, @Param("messageId") UUID messageId,
      @Param("waMessageId") String waMessageId, @Param("profileId") UUID profileId);

  /** Deletes the tenant's early statuses older than a day that no other delivery holds. */
  int purgeEarlyStatuses(@Param("organizationId") UUID organizationId);

  /** Keeps a status for a wamid no send has recorded yet. */
  int insertEarlyStatus(@Param("organizationId") UUID organizationId, @Param("status") Status status);

  /** Keeps a status's pricing and error on the reply, whatever order statuses arrive in. */
  int keepPricingAndError(@Param("organizationId") UUID organizationId, @Param("status") Status status);

  /** Moves the reply to the status if it is further on (never failed after delivered or read); null if it was not. */
  Advanced advance(@Param("organizationId") UUID organizationId, @Param("status") Status status);

  /** Applies the early statuses of the wamid a send just recorded: the furthest wins, pricing and errors kept. */
  int applyEarlyStatuses(@Param("organizationId") UUID organizationId, @Param("waMessageId") String waMessageId,
      @Param("messageId") UUID messageId);

  /**
   * A delivery status WhatsApp reported.
   *
   * @param state sent, delivered, read or failed
   * @param errorCode null without an error
   * @param errorMessage null without an error
   * @param pricing null without pricing
   */
  record Status(String waMessageId, String state, Instant at, Integer errorCode, String errorMessage,
      JsonNode pricing) {}

  /** The reply a status moved. */
  record Advanced(UUID conversationId, UUID messageId) {}
}
