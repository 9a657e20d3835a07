package io.crmkit.whatsapp.internal;

import java.util.List;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** Inbound media to fetch: claimed across tenants, recorded in each tenant's transaction. SQL in MediaMapper.xml. */
interface MediaMapper {
  /**
   * Across tenants, outside any: claims up to {@code limit} messages whose media is still to fetch
   * under {@code claim} for {@code lease} (claim_whatsapp_media).
   *
   * @param lease an interval, e.g. {@code 600 seconds}
   */
  List<Claimed> claim(@Param("limit") int limit, @Param("lease") String lease, @Param("claim") UUID claim);

  /**
   * Records a fetch while {@code claim} still holds the message, ending the claim: the key and
   * size of stored media, or that the provider no longer has it ({@code error}), or (with
   * {@code failed}) a backoff before the next try. Returns 0 if another run holds it now.
   */
  int recordFetch(@Param("organizationId") UUID organizationId, @Param("id") UUID id,
      @Param("storageKey") String storageKey, @Param("size") Long size, @Param("error") String error,
      @Param("failed") boolean failed, @Param("claim") UUID claim);

  /** Counts a failed attempt and backs off, while {@code claim} still holds the message. */
  int countAttempt(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("claim") UUID claim);

  /** A claimed message: its media id at the provider and the profile it came in on. */
  record Claimed(UUID organizationId, UUID messageId, UUID profileId, String mediaId) {}
}
