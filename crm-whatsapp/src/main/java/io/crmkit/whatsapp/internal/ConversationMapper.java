package io.crmkit.whatsapp.internal;

import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** conversations: a profile's thread with one contact. SQL in ConversationMapper.xml. */
interface ConversationMapper {
  /** Links the conversations of customer {@code from} to customer {@code to} (a merge). */
  int moveToCustomer(@Param("organizationId") UUID organizationId, @Param("from") UUID from, @Param("to") UUID to);
}
