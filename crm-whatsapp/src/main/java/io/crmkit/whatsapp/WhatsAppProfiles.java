package io.crmkit.whatsapp;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The organization's WhatsApp profiles (business phone numbers). Changes are for admins; every
 * member reads. Sessions are encrypted with AES-GCM under the host's {@link SessionKeys} before
 * they reach the database, bound to their organization and profile: a ciphertext copied into
 * another row does not decrypt. A tenant service: {@code scope.service(WhatsAppProfiles.class)}.
 *
 * <p>A number's webhooks reach a profile only while the profile is proven: active, with a session
 * that WhatsApp answered can use the number (a proof made by {@link #create}, {@link #replaceSession}
 * or {@link #reactivate}), and not refuted since (deactivation, WhatsApp refusing the token on a
 * send, or another WhatsApp Business account proving the number while this token no longer can
 * use it). If another organization's profile routes the number, a proof has WhatsApp check that
 * profile's token again: if it no longer works, the number moves here and the other profile is
 * disconnected ({@link DisconnectReason#NUMBER_PROVEN_ELSEWHERE}, with a
 * {@link WhatsAppEvent.ProfileDisconnected} event); if it still works, the proof is a conflict. Nothing tells
 * an organization that a number is routed elsewhere before it proves the number with its own
 * token.
 *
 * <p>A profile that is not this organization's is a {@link io.crmkit.core.exception.NotFoundException}
 * for {@code whatsapp profile} (or an empty {@link #get}), exactly as one that does not exist.
 *
 * <p>Each call is one transaction, joining the host's when made inside
 * {@code TenantScope.inTransaction}, except the calls that prove: they ask WhatsApp between
 * transactions of their own, and inside a host's transaction they are refused with an
 * {@link IllegalStateException} before anything is asked.
 */
public interface WhatsAppProfiles {

  /**
   * Adds a profile, active. With a session it is first verified at WhatsApp (outside any
   * transaction) that the token can use the number; the profile is then
   * {@link ProfileStatus#CONNECTED} and proven, and receives its number's webhooks. Without a
   * session it waits, disconnected and not routed, for {@link #replaceSession}.
   *
   * @throws io.crmkit.core.exception.ValidationException for a malformed value, naming the field, or a
   *     session WhatsApp says cannot use the number
   * @throws io.crmkit.core.exception.RetryableException if WhatsApp gave no clear answer (about this token, or
   *     about the token of the profile that routes the number now)
   * @throws io.crmkit.core.exception.ConflictException if the organization has this number, or another
   *     organization's profile routes it and its token can use it too (the message names no
   *     organization)
   * @throws io.crmkit.core.exception.LimitExceededException at {@code max_whatsapp_profiles} active profiles
   */
  WhatsAppProfile create(WhatsAppProfileDraft draft);

  /** One profile, if it is this organization's. */
  Optional<WhatsAppProfile> get(UUID profileId);

  /** All profiles, active first, then by name. */
  List<WhatsAppProfile> list();

  /** Renames a profile: one line of 1 to 100 characters, stripped. */
  WhatsAppProfile rename(UUID profileId, String name);

  /**
   * Records whether the profile can send. {@link ProfileStatus#CONNECTED} only for a proven profile
   * (else a {@link io.crmkit.core.exception.ValidationException} on {@code status}); any other status says it
   * cannot send, so it takes the profile's proof and its route too
   * ({@link DisconnectReason#SESSION_REFUSED}).
   */
  WhatsAppProfile setStatus(UUID profileId, ProfileStatus status);

  /**
   * Stores a new session (access token), verified at WhatsApp first like on {@link #create} and
   * encrypted under the current key. An active profile is then proven afresh and connected; an
   * inactive one proves itself when reactivated.
   *
   * @throws io.crmkit.core.exception.ValidationException on {@code session} for a token that is not 1 to
   *     10,000 visible ASCII characters (checked before WhatsApp is asked), or if WhatsApp says the token
   *     cannot use the number
   * @throws io.crmkit.core.exception.ConflictException as for {@link #create}
   * @throws io.crmkit.core.exception.RetryableException as for {@link #create}
   */
  WhatsAppProfile replaceSession(UUID profileId, String session);

  /**
   * Deactivates a profile: its proof goes, so its webhooks stop being routed; it is disconnected and
   * no longer counts against {@code max_whatsapp_profiles}. Deactivating an inactive profile changes
   * nothing.
   */
  WhatsAppProfile deactivate(UUID profileId);

  /**
   * Activates a profile again and proves it: WhatsApp is asked whether the stored session can use
   * the number, and anything but yes changes nothing. On an active profile it proves the stored
   * token again: one that lost its proof (WhatsApp refused its token) is proven once the token
   * works again, and a proven one is stamped afresh, or loses its proof if WhatsApp now refuses
   * the token. A profile without a session is activated, disconnected, until one is stored.
   *
   * @throws io.crmkit.core.exception.ValidationException if WhatsApp says the stored session cannot use the
   *     number
   * @throws io.crmkit.core.exception.ConflictException as for {@link #create}
   * @throws io.crmkit.core.exception.RetryableException as for {@link #create}
   * @throws io.crmkit.core.exception.LimitExceededException at {@code max_whatsapp_profiles}
   */
  WhatsAppProfile reactivate(UUID profileId);

  /**
   * Who sends as this profile: its phone number id and decrypted access token, for the gateway.
   * Admins and system actors only.
   *
   * @return empty if the profile has no session or is deactivated
   * @throws io.crmkit.core.exception.CrmException if the session cannot be decrypted (unknown key, or a
   *     ciphertext that is not this profile's)
   */
  Optional<WhatsAppSender> sender(UUID profileId);

  /**
   * Re-encrypts every session of this organization that is not under the current key (after a key
   * rotation); admins only. Returns how many were re-encrypted.
   */
  int reencryptSessions();
}
