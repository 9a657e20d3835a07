package io.crmkit.core.internal;

import io.crmkit.core.users.Role;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** invitations. SQL in InvitationMapper.xml. */
interface InvitationMapper {
  int insert(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("email") String email,
      @Param("role") Role role, @Param("tokenHash") byte[] tokenHash, @Param("expiresAt") Instant expiresAt,
      @Param("invitedBy") UUID invitedBy);

  Rows.InvitationRow find(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  Rows.InvitationRow findForUpdate(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  List<Rows.InvitationRow> pending(@Param("organizationId") UUID organizationId, @Param("now") Instant now);

  Rows.InvitationRow pendingByEmail(@Param("organizationId") UUID organizationId, @Param("email") String email);

  long countPending(@Param("organizationId") UUID organizationId, @Param("now") Instant now,
      @Param("excludeId") UUID excludeId);

  int sweepExpired(@Param("organizationId") UUID organizationId, @Param("now") Instant now);

  int delete(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  int markAccepted(@Param("organizationId") UUID organizationId, @Param("id") UUID id,
      @Param("userId") UUID userId, @Param("now") Instant now);
}
