package io.crmkit.core.internal;

import io.crmkit.core.Crm;
import io.crmkit.core.CrmEvent;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.users.NewMember;
import io.crmkit.core.users.User;
import java.util.Objects;
import java.util.UUID;

/**
 * Accepting an invitation by its token: the one tenant-crossing step is the token lookup
 * (find_invitation_by_token_hash); the rest runs in the invitation's tenant under its RLS.
 */
public final class InvitationAcceptance {
  private final CrmRuntime runtime;

  /** Creates the acceptance path. */
  public InvitationAcceptance(CrmRuntime runtime) {
    this.runtime = runtime;
  }

  /** See {@code Crm.acceptInvitation}. */
  public User accept(String token, NewMember member) {
    Objects.requireNonNull(member, "member");
    String fullName = member.fullName().map(n -> Inputs.text("fullName", n, 255)).orElse(null);
    String externalRef = member.externalRef().map(r -> Inputs.text("externalRef", r, 255)).orElse(null);
    if (!InvitationTokens.wellFormed(token)) {
      // The token is a secret: never echoed, and a malformed one is just "not found".
      throw new NotFoundException("invitation", "<token>");
    }
    byte[] hash = InvitationTokens.hash(token);
    Rows.InvitationKeyRow key = runtime.withoutTenant(
        tx -> tx.mapper(CrossTenantMapper.class).findInvitationByTokenHash(hash));
    if (key == null) {
      throw new NotFoundException("invitation", "<token>");
    }
    return runtime.inTenant(key.organizationId, tx -> {
      UUID org = tx.organizationId();
      tx.requireCommitHookForEvents();
      SqlUserService.lock(tx);
      InvitationMapper invitations = tx.mapper(InvitationMapper.class);
      Rows.InvitationRow invitation = invitations.findForUpdate(org, key.invitationId);
      if (invitation == null || invitation.acceptedAt != null) {
        throw new NotFoundException("invitation", "<token>");
      }
      if (!invitation.expiresAt.isAfter(tx.now())) {
        throw new ValidationException("token", "the invitation has expired; ask for a new one");
      }
      invitations.sweepExpired(org, tx.now());
      UserMapper users = tx.mapper(UserMapper.class);
      Rows.UserRow existing = users.findByEmail(org, invitation.email);
      if (existing != null && existing.isActive) {
        throw new ConflictException(invitation.email + " is already a member", existing.id);
      }
      SqlUserService.Seats.requireFree(tx, invitation.id);
      UUID userId;
      if (existing != null) {
        // A deactivated member comes back as the same user, keeping its history; what the invitee
        // says of itself now replaces what was known.
        if (externalRef != null && existing.externalRef != null && !externalRef.equals(existing.externalRef)) {
          throw new ConflictException(invitation.email + " was a member under another external reference",
              existing.id);
        }
        userId = existing.id;
        users.reactivate(org, userId, invitation.role, fullName, externalRef, tx.now());
      } else {
        userId = UUID.randomUUID();
        users.insert(org, userId, invitation.email, fullName, externalRef, invitation.role, invitation.invitedBy,
            tx.now());
      }
      if (invitations.markAccepted(org, invitation.id, userId, tx.now()) != 1) {
        throw new NotFoundException("invitation", "<token>");
      }
      User user = users.find(org, userId).toUser();
      tx.publish(new CrmEvent.MemberJoined(org, userId, user.role()));
      return user;
    });
  }
}
