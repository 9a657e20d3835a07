package io.crmkit.ticketing.whatsapp.internal;

import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** The bridge's SQL, in {@code BridgeMapper.xml} beside it. */
public interface BridgeMapper {
  /** A conversation of the organization, and its customer if it has one. */
  record Conversation(UUID id, UUID customerId) {}

  /** The organization's conversation {@code id}, or null. */
  Conversation conversation(@Param("organizationId") UUID organizationId, @Param("id") UUID id);
}
