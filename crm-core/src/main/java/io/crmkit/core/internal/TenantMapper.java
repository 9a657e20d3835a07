package io.crmkit.core.internal;

import io.crmkit.core.users.Role;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** The tenant context and who is connected. SQL in TenantMapper.xml. */
interface TenantMapper {
  /**
   * Sets the transaction-local tenant ('' for none) and reads the isolation level: the first
   * statement of every transaction.
   */
  Rows.ContextRow begin(@Param("organizationId") String organizationId);

  /** The role of an active member, or null. */
  Role activeMemberRole(@Param("organizationId") UUID organizationId, @Param("userId") UUID userId);

  /** Makes the rest of the transaction run as the owner role (platform operations). */
  void actAsOwner();

  String currentUser();
}
