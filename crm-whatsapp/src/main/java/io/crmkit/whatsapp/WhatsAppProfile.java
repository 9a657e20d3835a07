package io.crmkit.whatsapp;

import java.time.Instant;
import java.util.Objects;
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
 * @param verified whether a token was shown to work for the number; only then are its webhooks
 *     routed to this profile
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
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
