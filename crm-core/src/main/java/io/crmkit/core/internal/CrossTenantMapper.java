package io.crmkit.core.internal;

import org.apache.ibatis.annotations.Param;

/** Calls of the named cross-tenant SECURITY DEFINER functions. SQL in CrossTenantMapper.xml. */
interface CrossTenantMapper {
  Rows.OrganizationRefRow findOrganizationBySlug(@Param("slug") String slug);

  Rows.InvitationKeyRow findInvitationByTokenHash(@Param("tokenHash") byte[] tokenHash);
}
