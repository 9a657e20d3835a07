package io.crmkit.core.users;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A member of an organization. A person working for two tenants is two users.
 *
 * @param id CRMKit's id of the user, what {@code crm.tenant(org).as(id)} takes
 * @param organizationId the organization
 * @param externalRef the host application's reference for the person, if given
 * @param email address, unique per organization (case-insensitive)
 * @param fullName display name, if known
 * @param role the role
 * @param active false once deactivated
 * @param invitedBy who invited the user, if anyone
 * @param createdAt when the user joined
 */
public record User(
    UUID id,
    UUID organizationId,
    Optional<String> externalRef,
    String email,
    Optional<String> fullName,
    Role role,
    boolean active,
    Optional<UUID> invitedBy,
    Instant createdAt) {

  /** Creates the record. */
  public User {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(externalRef, "externalRef");
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(fullName, "fullName");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(invitedBy, "invitedBy");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
