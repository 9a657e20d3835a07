package io.crmkit.whatsapp;

import io.crmkit.core.TenantScope;
import io.crmkit.whatsapp.internal.SessionCipher;
import io.crmkit.whatsapp.internal.SqlWhatsAppProfiles;
import java.util.Objects;

/**
 * crm-whatsapp's entry point, built once beside the {@code Crm}: it holds what the WhatsApp
 * services share (the session keys), and hands out services for a tenant scope. The module's
 * migrations run with crm-core's ({@code crm.migrate()}), found on the class path.
 *
 * <pre>{@code
 * WhatsApp whatsapp = WhatsApp.builder().sessionKeys(SessionKeys.of("k1", Map.of("k1", key))).build();
 * WhatsAppProfile sales = whatsapp.profiles(acme).create(new WhatsAppProfileDraft("Sales",
 *     "+966501234567", phoneNumberId, metaAppId, Optional.of(accessToken)));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class WhatsApp {
  private final SessionCipher cipher;

  private WhatsApp(Builder builder) {
    this.cipher = new SessionCipher(builder.sessionKeys);
  }

  /** Starts configuring. */
  public static Builder builder() {
    return new Builder();
  }

  /** The organization's WhatsApp profiles, acting as {@code scope}'s actor. */
  public WhatsAppProfiles profiles(TenantScope scope) {
    return new SqlWhatsAppProfiles(Objects.requireNonNull(scope, "scope"), cipher);
  }

  /** Configures {@link WhatsApp}. */
  public static final class Builder {
    private SessionKeys sessionKeys;

    private Builder() {}

    /** The keys sessions are encrypted with (required). */
    public Builder sessionKeys(SessionKeys sessionKeys) {
      this.sessionKeys = Objects.requireNonNull(sessionKeys, "sessionKeys");
      return this;
    }

    /**
     * The configured {@link WhatsApp}.
     *
     * @throws IllegalStateException without session keys, or if the current key is not available
     */
    public WhatsApp build() {
      if (sessionKeys == null) {
        throw new IllegalStateException("WhatsApp.builder() needs sessionKeys(…): profiles' sessions are encrypted");
      }
      if (sessionKeys.key(sessionKeys.currentKeyId()).isEmpty()) {
        throw new IllegalStateException("sessionKeys has no key for its current id " + sessionKeys.currentKeyId());
      }
      return new WhatsApp(this);
    }
  }
}
