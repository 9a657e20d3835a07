package io.crmkit.core.users;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A pending invitation to join an organization. Its token is not part of it: the raw token is
 * returned once, in {@link IssuedInvitation}, and only its hash is stored.
 *
 * @param id the invitation id
 * @param organizationId the organization
 * @param email the invited address
 * @param role the role the invitee will get
 * @param invitedBy who invited, if a user did
 * @param expiresAt after this the token no longer works and the seat is free again
 * @param createdAt when it was made
 */
public record Invitation(
    UUID id,
    UUID organizationId,
    String email,
    Role role,
    Optional<UUID> invitedBy,
    Instant expiresAt,
    Instant createdAt) {

  /** Creates the record. */
  public Invitation {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(invitedBy, "invitedBy");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
