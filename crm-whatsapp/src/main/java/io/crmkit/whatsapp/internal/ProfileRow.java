package io.crmkit.whatsapp.internal;

import io.crmkit.whatsapp.DisconnectReason;
import io.crmkit.whatsapp.ProfileStatus;
import io.crmkit.whatsapp.WhatsAppProfile;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A whatsapp_profiles row as {@link ProfileMapper} reads it (never the session), turned into the public record. */
record ProfileRow(UUID id, String name, String phoneNumber, String phoneNumberId, String metaAppId,
    ProfileStatus status, boolean active, boolean hasSession, boolean verified, DisconnectReason disconnectReason,
    Instant createdAt, Instant updatedAt) {

  WhatsAppProfile toProfile() {
    return new WhatsAppProfile(id, name, phoneNumber, phoneNumberId, metaAppId, status, active, hasSession, verified,
        Optional.ofNullable(disconnectReason), createdAt, updatedAt);
  }
}
