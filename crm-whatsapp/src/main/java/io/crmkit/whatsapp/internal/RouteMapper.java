package io.crmkit.whatsapp.internal;

import java.time.Instant;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** The owner-defined functions that read and move whatsapp_routes (see ARCHITECTURE.md, cross-tenant paths). SQL in RouteMapper.xml. */
interface RouteMapper {
  /** Where a number's webhook goes, for the app that signed it; without a tenant (route_whatsapp_webhook). */
  Route route(@Param("phoneNumberId") String phoneNumberId, @Param("metaAppId") String metaAppId);

  /** Who routes a number now, on which proof; without a tenant (whatsapp_route_holder). */
  NumberRoutes.Holder holder(@Param("phoneNumberId") String phoneNumberId);

  /** In the prover's tenant: removes the holder's route if it is still exactly this one (release_whatsapp_route). */
  Boolean release(@Param("phoneNumberId") String phoneNumberId, @Param("organizationId") UUID organizationId,
      @Param("profileId") UUID profileId, @Param("provenAt") Instant provenAt);

  /** A webhook's tenant and profile. */
  record Route(UUID organizationId, UUID profileId) {}
}
