package io.crmkit.whatsapp.internal;

import java.time.Instant;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** conversations: a profile's thread with one contact. SQL in ConversationMapper.xml. */
interface ConversationMapper {
  /** The contact's conversation on the profile, created (with the contact's customer) if there is none. */
  int createIfAbsent(@Param("organizationId") UUID organizationId, @Param("profileId") UUID profileId,
      @Param("contactId") UUID contactId);

  /** The contact's conversation on the profile, locked for the rest of the transaction. */
  Locked lockForContact(@Param("organizationId") UUID organizationId, @Param("profileId") UUID profileId,
      @Param("contactId") UUID contactId);

  /** A message the user wrote at {@code at}: one more unread, and the last message unless a later one is there. */
  int inboundArrived(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("at") Instant at,
      @Param("preview") String preview);

  int linkCustomer(@Param("organizationId") UUID organizationId, @Param("id") UUID id,
      @Param("customerId") UUID customerId);

  /** Links the conversations of customer {@code from} to customer {@code to} (a merge). */
  int moveToCustomer(@Param("organizationId") UUID organizationId, @Param("from") UUID from, @Param("to") UUID to);

  /**
   * A locked conversation.
   *
   * @param customerId null when it has no customer
   */
  record Locked(UUID id, UUID customerId) {}
}
