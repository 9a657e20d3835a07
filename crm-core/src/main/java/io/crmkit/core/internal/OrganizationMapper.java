package io.crmkit.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** organizations. SQL in OrganizationMapper.xml. */
interface OrganizationMapper {
  Rows.OrganizationRow find(@Param("id") UUID id);

  /** Serializes seat changes of one organization (FOR NO KEY UPDATE: FK checks still pass). */
  UUID lock(@Param("id") UUID id);

  int update(@Param("id") UUID id, @Param("name") String name, @Param("domain") String domain,
      @Param("clearDomain") boolean clearDomain, @Param("defaultLanguage") String defaultLanguage,
      @Param("timeZone") String timeZone, @Param("settings") JsonNode settings);

  int insert(@Param("id") UUID id, @Param("name") String name, @Param("slug") String slug,
      @Param("packageId") UUID packageId, @Param("trialEndsAt") Instant trialEndsAt,
      @Param("defaultLanguage") String defaultLanguage, @Param("defaultRegion") String defaultRegion,
      @Param("timeZone") String timeZone);

  UUID findIdBySlug(@Param("slug") String slug);

  int setPackage(@Param("id") UUID id, @Param("packageId") UUID packageId);

  int setSubscription(@Param("id") UUID id, @Param("packageId") UUID packageId, @Param("status") String status);

  int setCustomLimit(@Param("id") UUID id, @Param("key") String key, @Param("value") Long value);

  int clearCustomLimit(@Param("id") UUID id, @Param("key") String key);

  boolean isTimeZone(@Param("name") String name);
}
