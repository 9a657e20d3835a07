package io.crmkit.whatsapp.internal;

import java.time.Instant;
import java.util.UUID;

/**
 * A profile's stored session as {@link ProfileMapper} reads it, with what decides whether it may be
 * used: the profile's number, whether it is active, and the proof it stands on.
 *
 * @param keyId null when no session is stored
 * @param verifiedAt the profile's proof; null when it has none
 */
record SessionRow(UUID id, String phoneNumberId, String keyId, byte[] nonce, byte[] ciphertext, boolean active,
    Instant verifiedAt) {

  boolean hasSession() {
    return keyId != null;
  }

  SessionCipher.Sealed sealed() {
    return new SessionCipher.Sealed(keyId, nonce, ciphertext);
  }
}
