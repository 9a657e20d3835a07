package io.crmkit.whatsapp;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A WhatsApp Business phone number of the organization. Its session (access token) is never part
 * of it; {@link #hasSession()} tells whether one is stored.
 *
 * @param id its id
 * @param name the name agents see, e.g. {@code Sales}
 * @param phoneNumber the number in E.164
 * @param phoneNumberId the Cloud API's id of the number, which webhooks name
 * @param metaAppId the Meta app it belongs to, whose secret signs its webhooks
 * @param status whether it can send
 * @param active false once deactivated: its webhooks are no longer routed to it
 * @param hasSession whether an encrypted session is stored
 * @param verified whether its current access token was shown to work for the number and nothing
 *     has refuted it since (the profile's proof); only a proven profile is routed its number's
 *     webhooks. A proof needs an active profile with a session, and is cleared by deactivation, by
 *     WhatsApp refusing the token on a send, and when another WhatsApp Business account proves the
 *     number while this token can no longer use it
 * @param disconnectReason why the profile lost its proof, until it is proven again
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 */
public record WhatsAppProfile(
    UUID id,
    String name,
    String phoneNumber,
    String phoneNumberId,
    String metaAppId,
    ProfileStatus status,
    boolean active,
    boolean hasSession,
    boolean verified,
    Optional<DisconnectReason> disconnectReason,
    Instant createdAt,
    Instant updatedAt) {

  /** Creates the record. */
  public WhatsAppProfile {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(phoneNumber, "phoneNumber");
    Objects.requireNonNull(phoneNumberId, "phoneNumberId");
    Objects.requireNonNull(metaAppId, "metaAppId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(disconnectReason, "disconnectReason");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
