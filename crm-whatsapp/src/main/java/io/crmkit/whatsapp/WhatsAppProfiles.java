package io.crmkit.whatsapp;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The organization's WhatsApp profiles (business phone numbers). Changes are for admins; every
 * member reads. Sessions are encrypted with AES-GCM under the host's {@link SessionKeys} before
 * they reach the database, bound to their organization and profile: a ciphertext copied into
 * another row does not decrypt. Each call is one transaction, joining the host's when made inside
 * {@code TenantScope.inTransaction}.
 */
public interface WhatsAppProfiles {

  /**
   * Adds a profile, active. With a session it is first verified at WhatsApp (outside any
   * transaction) that the token can use the number; the profile is then
   * {@link ProfileStatus#CONNECTED} and verified, and only a verified profile receives its
   * number's webhooks. Without a session it waits, disconnected, for {@link #replaceSession}.
   *
   * @throws io.crmkit.core.ValidationException for a malformed value, naming the field, or a
   *     session WhatsApp says cannot use the number
   * @throws io.crmkit.core.RetryableException if WhatsApp gave no clear answer
   * @throws io.crmkit.core.ConflictException if the organization has this number, or another
   *     organization has it connected
   * @throws io.crmkit.core.LimitExceededException at {@code max_whatsapp_profiles} active profiles
   */
  WhatsAppProfile create(WhatsAppProfileDraft draft);

  /** One profile, if it is this organization's. */
  Optional<WhatsAppProfile> get(UUID profileId);

  /** All profiles, active first, then by name. */
  List<WhatsAppProfile> list();

  /** Renames a profile. */
  WhatsAppProfile rename(UUID profileId, String name);

  /** Records whether the profile can send (e.g. {@link ProfileStatus#DISCONNECTED} after the provider refused its token). */
  WhatsAppProfile setStatus(UUID profileId, ProfileStatus status);

  /**
   * Stores a new session (access token), verified at WhatsApp first like on {@link #create} and
   * encrypted under the current key, and marks an active profile connected (and verified).
   */
  WhatsAppProfile replaceSession(UUID profileId, String session);

  /**
   * Deactivates a profile: its webhooks stop being routed, it is disconnected and no longer counts
   * against {@code max_whatsapp_profiles}. Deactivating an inactive profile changes nothing.
   */
  WhatsAppProfile deactivate(UUID profileId);

  /**
   * Activates a deactivated profile again.
   *
   * @throws io.crmkit.core.ConflictException if another organization has connected the number meanwhile
   * @throws io.crmkit.core.LimitExceededException at {@code max_whatsapp_profiles}
   */
  WhatsAppProfile reactivate(UUID profileId);

  /**
   * Who sends as this profile: its phone number id and decrypted access token, for the gateway.
   * Admins and system actors only.
   *
   * @return empty if the profile has no session or is deactivated
   * @throws io.crmkit.core.CrmException if the session cannot be decrypted (unknown key, or a
   *     ciphertext that is not this profile's)
   */
  Optional<WhatsAppSender> sender(UUID profileId);

  /**
   * Re-encrypts every session of this organization that is not under the current key (after a key
   * rotation); admins only. Returns how many were re-encrypted.
   */
  int reencryptSessions();
}
