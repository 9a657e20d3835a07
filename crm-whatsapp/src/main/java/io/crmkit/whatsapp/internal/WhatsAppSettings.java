package io.crmkit.whatsapp.internal;

import io.crmkit.whatsapp.MediaStore;
import io.crmkit.whatsapp.SessionKeys;
import io.crmkit.whatsapp.WebhookSignature;
import io.crmkit.whatsapp.WhatsAppGateway;
import io.crmkit.whatsapp.WhatsAppListener;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a host configured in {@code WhatsAppModule.Builder}, checked there; never printed with the
 * verify token.
 *
 * @param verifyToken the webhook handshake's token, present exactly when {@code signatures} is
 * @param signatures the configured apps' secrets
 * @param maxBodyBytes the largest webhook body accepted
 */
public record WhatsAppSettings(SessionKeys sessionKeys, WhatsAppGateway gateway, List<WhatsAppListener> listeners,
    Optional<MediaStore> mediaStore, Optional<String> verifyToken, Optional<WebhookSignature> signatures,
    int maxBodyBytes) {

  /** Creates the settings; the listeners are copied. */
  public WhatsAppSettings {
    Objects.requireNonNull(sessionKeys, "sessionKeys");
    Objects.requireNonNull(gateway, "gateway");
    listeners = List.copyOf(listeners);
    Objects.requireNonNull(mediaStore, "mediaStore");
    Objects.requireNonNull(verifyToken, "verifyToken");
    Objects.requireNonNull(signatures, "signatures");
  }

  @Override
  public String toString() {
    return "sessionKeys=" + sessionKeys + ", gateway=" + gateway.getClass().getSimpleName() + ", listeners="
        + listeners.size() + ", mediaStore=" + mediaStore.map(m -> m.getClass().getSimpleName()).orElse("none")
        + ", webhook=" + signatures.map(WebhookSignature::toString).orElse("none") + ", maxBodyBytes=" + maxBodyBytes;
  }
}
