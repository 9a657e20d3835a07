package io.crmkit.core;

import io.crmkit.core.users.Role;
import io.crmkit.core.users.UserService;
import java.util.UUID;

/**
 * Something that happened in a tenant, delivered to {@link CrmListener}s after its transaction
 * commits (never for a transaction that rolled back). Events carry ids, never secrets.
 */
public sealed interface CrmEvent permits CrmEvent.InvitationCreated, CrmEvent.MemberJoined {

  /** The organization it happened in. */
  UUID organizationId();

  /**
   * An invitation was made; a host typically sends the invitee a link (the token itself came back
   * from {@link UserService#invite(String, Role)}).
   *
   * @param organizationId the organization
   * @param invitationId the invitation
   * @param email the invited address
   * @param role the role offered
   */
  record InvitationCreated(UUID organizationId, UUID invitationId, String email, Role role) implements CrmEvent {}

  /**
   * An invitation was accepted and the invitee is now a member.
   *
   * @param organizationId the organization
   * @param userId the new user
   * @param role its role
   */
  record MemberJoined(UUID organizationId, UUID userId, Role role) implements CrmEvent {}
}
