package io.crmkit.whatsapp.internal;

import io.crmkit.core.exception.CrmException;
import io.crmkit.whatsapp.SessionKeys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-GCM for profile sessions: a random 96-bit nonce per encryption, a 128-bit tag, and the
 * organization and profile ids as associated data, so a ciphertext only decrypts in its own row.
 */
final class SessionCipher {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private final SessionKeys keys;
  private final SecureRandom random = new SecureRandom();

  /** A cipher over the host's keys. */
  SessionCipher(SessionKeys keys) {
    this.keys = keys;
  }

  /** A stored session: key id, nonce, ciphertext (with the tag). */
  record Sealed(String keyId, byte[] nonce, byte[] ciphertext) {}

  /** Encrypts {@code session} for this organization's profile under the current key. */
  Sealed seal(UUID organizationId, UUID profileId, String session) {
    String keyId = keys.currentKeyId();
    SecretKey key = keys.key(keyId).orElseThrow(() -> new CrmException("no session key " + keyId));
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(organizationId, profileId));
      return new Sealed(keyId, nonce, cipher.doFinal(session.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new CrmException("could not encrypt the session of profile " + profileId, e);
    }
  }

  /**
   * Decrypts a stored session of this organization's profile.
   *
   * @throws CrmException if the key is unknown or the ciphertext is not this profile's (or was altered)
   */
  String open(UUID organizationId, UUID profileId, Sealed sealed) {
    SecretKey key = keys.key(sealed.keyId()).orElseThrow(() -> new CrmException("the session of profile "
        + profileId + " is encrypted with key " + sealed.keyId() + ", which the SessionKeys do not have"));
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
      cipher.updateAAD(aad(organizationId, profileId));
      return new String(cipher.doFinal(sealed.ciphertext()), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new CrmException("the stored session of profile " + profileId
          + " does not decrypt: it was altered or belongs to another profile");
    }
  }

  /** The current key's id. */
  String currentKeyId() {
    return keys.currentKeyId();
  }

  private static byte[] aad(UUID organizationId, UUID profileId) {
    return ("crmkit.whatsapp.session.v1:" + organizationId + ":" + profileId).getBytes(StandardCharsets.UTF_8);
  }
}
