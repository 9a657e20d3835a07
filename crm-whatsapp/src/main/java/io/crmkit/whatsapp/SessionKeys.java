package io.crmkit.whatsapp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES keys that encrypt profiles' sessions (access tokens) at rest, supplied by the host (from
 * its KMS, vault or configuration): the current key encrypts, any known key decrypts, so keys can
 * be rotated ({@link WhatsAppProfiles#reencryptSessions}).
 *
 * <pre>{@code
 * SessionKeys keys = SessionKeys.of("2026-11", Map.of("2026-11", key256, "2026-05", oldKey256));
 * }</pre>
 */
public interface SessionKeys {

  /** The id of the key new sessions are encrypted with; stored beside each ciphertext. */
  String currentKeyId();

  /** The key with this id, if known. */
  Optional<SecretKey> key(String keyId);

  /**
   * Keys held in memory.
   *
   * @param currentKeyId which of {@code keys} encrypts
   * @param keys AES keys of 16, 24 or 32 bytes by id (1 to 100 characters); the bytes are copied
   * @throws IllegalArgumentException if the current key is missing or a key has the wrong length
   */
  static SessionKeys of(String currentKeyId, Map<String, byte[]> keys) {
    Objects.requireNonNull(currentKeyId, "currentKeyId");
    Objects.requireNonNull(keys, "keys");
    Map<String, SecretKey> copy = new LinkedHashMap<>();
    keys.forEach((id, bytes) -> {
      Objects.requireNonNull(id, "key id");
      Objects.requireNonNull(bytes, "key " + id);
      if (id.isEmpty() || id.length() > 100) {
        throw new IllegalArgumentException("a key id is 1 to 100 characters");
      }
      if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
        throw new IllegalArgumentException("key " + id + " has " + bytes.length + " bytes; AES needs 16, 24 or 32");
      }
      copy.put(id, new SecretKeySpec(bytes.clone(), "AES"));
    });
    if (!copy.containsKey(currentKeyId)) {
      throw new IllegalArgumentException("the current key " + currentKeyId + " is not among the keys");
    }
    Map<String, SecretKey> frozen = Map.copyOf(copy);
    return new SessionKeys() {
      @Override
      public String currentKeyId() {
        return currentKeyId;
      }

      @Override
      public Optional<SecretKey> key(String keyId) {
        return Optional.ofNullable(frozen.get(keyId));
      }

      @Override
      public String toString() {
        return "SessionKeys[current=" + currentKeyId + ", ids=" + frozen.keySet() + "]";
      }
    };
  }
}
