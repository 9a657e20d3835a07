package io.crmkit.whatsapp.internal;

import io.crmkit.whatsapp.DisconnectReason;
import io.crmkit.whatsapp.ProfileStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/**
 * whatsapp_profiles, in the tenant's transaction. A statement that writes a proof
 * ({@code verified_at}) of an active profile routes its number, or fails with CKW01 when another
 * profile routes it (see {@link NumberRoutes}). SQL in ProfileMapper.xml.
 */
interface ProfileMapper {
  /** The profile, if it is this organization's; with {@code lock}, locked against other changes. */
  ProfileRow find(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("lock") boolean lock);

  /** All profiles, active first, then by name. */
  List<ProfileRow> list(@Param("organizationId") UUID organizationId);

  /** A new active profile; with a session, proven now (stamped and routed). */
  ProfileRow insert(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("name") String name,
      @Param("phoneNumber") String phoneNumber, @Param("phoneNumberId") String phoneNumberId,
      @Param("metaAppId") String metaAppId, @Param("sealed") SessionCipher.Sealed sealed);

  ProfileRow rename(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("name") String name);

  int setStatus(@Param("organizationId") UUID organizationId, @Param("id") UUID id,
      @Param("status") ProfileStatus status);

  /** Inactive, unproven, disconnected for {@code deactivated}. */
  int deactivate(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  /** A new session; an active profile is proven afresh and connected, an inactive one keeps its state. */
  int replaceSession(@Param("organizationId") UUID organizationId, @Param("id") UUID id,
      @Param("sealed") SessionCipher.Sealed sealed);

  /** Active again, disconnected, for a profile without a session. */
  int activateWithoutSession(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  /** Active again and proven afresh, only while its session is still the one with {@code nonce}. */
  int activateProven(@Param("organizationId") UUID organizationId, @Param("id") UUID id,
      @Param("nonce") byte[] nonce);

  /** The profile's stored session and the proof it stands on, if the profile is this organization's. */
  SessionRow session(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  /** The session of an active profile while {@code provenAt} is still its proof. */
  SessionRow provenSession(@Param("organizationId") UUID organizationId, @Param("id") UUID id,
      @Param("provenAt") Instant provenAt);

  /** The sessions not under {@code currentKeyId}, locked, in id order. */
  List<SessionRow> staleSessions(@Param("organizationId") UUID organizationId,
      @Param("currentKeyId") String currentKeyId);

  /** The same session sealed anew; its proof stands. */
  int reseal(@Param("organizationId") UUID organizationId, @Param("id") UUID id,
      @Param("sealed") SessionCipher.Sealed sealed);

  /**
   * Clears the profile's proof (and so its route) and marks it disconnected for {@code reason};
   * with {@code onlyProof}, only while that proof stands. Returns its phone number id, or null if
   * it had no such proof.
   */
  String disconnect(@Param("organizationId") UUID organizationId, @Param("id") UUID id,
      @Param("reason") DisconnectReason reason, @Param("onlyProof") Instant onlyProof);

  /** Marks an unproven profile disconnected (its send was refused and no newer proof stands). */
  int markDisconnectedUnlessProven(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  /** The profile's proof, or null: read before its token is, so a refusal takes only this proof. */
  Instant proof(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  /** The profile's id if it is active and proven, locked against a change of either until the commit. */
  UUID lockRoutable(@Param("organizationId") UUID organizationId, @Param("id") UUID id);
}
