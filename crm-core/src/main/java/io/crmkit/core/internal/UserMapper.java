package io.crmkit.core.internal;

import io.crmkit.core.users.Role;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** users. SQL in UserMapper.xml. */
interface UserMapper {
  List<Rows.UserRow> list(@Param("organizationId") UUID organizationId);

  Rows.UserRow find(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  Rows.UserRow findByEmail(@Param("organizationId") UUID organizationId, @Param("email") String email);

  int insert(@Param("organizationId") UUID organizationId, @Param("id") UUID id,
      @Param("email") String email, @Param("fullName") String fullName,
      @Param("externalRef") String externalRef, @Param("role") Role role,
      @Param("invitedBy") UUID invitedBy, @Param("acceptedAt") Instant acceptedAt);

  int updateRole(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("role") Role role);

  int deactivate(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("now") Instant now);

  int reactivate(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("role") Role role,
      @Param("fullName") String fullName, @Param("externalRef") String externalRef, @Param("now") Instant now);

  long countActive(@Param("organizationId") UUID organizationId);

  long countActiveAdmins(@Param("organizationId") UUID organizationId);
}
