package io.crmkit.core.internal;

import io.crmkit.core.Actor;
import io.crmkit.core.CrmEvent;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.ForbiddenException;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.users.Invitation;
import io.crmkit.core.users.IssuedInvitation;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import io.crmkit.core.users.UserService;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** {@link UserService} over the users and invitations tables. */
final class SqlUserService implements UserService {
  private final SqlTenantScope scope;

  SqlUserService(SqlTenantScope scope) {
    this.scope = scope;
  }

  @Override
  public List<User> list() {
    return scope.call(tx -> tx.mapper(UserMapper.class).list(tx.organizationId()).stream()
        .map(Rows.UserRow::toUser).toList());
  }

  @Override
  public Optional<User> get(UUID userId) {
    Objects.requireNonNull(userId, "userId");
    return scope.call(tx -> Optional.ofNullable(tx.mapper(UserMapper.class).find(tx.organizationId(), userId))
        .map(Rows.UserRow::toUser));
  }

  @Override
  public IssuedInvitation invite(String email, Role role) {
    String address = Inputs.email("email", email);
    Objects.requireNonNull(role, "role");
    Actor actor = scope.actor();
    return scope.call(tx -> {
      tx.requireCommitHookForEvents();
      UUID org = tx.organizationId();
      // Seats are counted and taken under the organization's row lock, after sweeping expired
      // invitations, so concurrent invitations (and acceptances) cannot overshoot max_users. The
      // actor's role is read after the lock, so a demotion that committed meanwhile counts.
      lock(tx);
      Role actorRole = tx.requireRole(actor, "users.invite", Role.ADMIN, Role.MANAGER);
      if (actorRole == Role.MANAGER && (role == Role.ADMIN || role == Role.MANAGER)) {
        throw new ForbiddenException("users.invite as " + role.databaseName(), actor);
      }
      InvitationMapper invitations = tx.mapper(InvitationMapper.class);
      invitations.sweepExpired(org, tx.now());
      Rows.UserRow member = tx.mapper(UserMapper.class).findByEmail(org, address);
      if (member != null && member.isActive) {
        throw new ConflictException(address + " is already a member", member.id);
      }
      Rows.InvitationRow pending = invitations.pendingByEmail(org, address);
      if (pending != null) {
        throw new ConflictException(address + " already has a pending invitation", pending.id);
      }
      Seats.requireFree(tx, null);
      String token = InvitationTokens.newToken();
      UUID id = UUID.randomUUID();
      UUID invitedBy = actor instanceof Actor.Member m ? m.userId() : null;
      invitations.insert(org, id, address, role, InvitationTokens.hash(token),
          tx.now().plus(scope.runtime().configuration().invitationTtl()), invitedBy);
      Invitation invitation = invitations.find(org, id).toInvitation();
      tx.publish(new CrmEvent.InvitationCreated(org, id, address, role));
      return new IssuedInvitation(invitation, token);
    });
  }

  @Override
  public List<Invitation> pendingInvitations() {
    return scope.call(tx -> tx.mapper(InvitationMapper.class).pending(tx.organizationId(), tx.now()).stream()
        .map(Rows.InvitationRow::toInvitation).toList());
  }

  @Override
  public void revokeInvitation(UUID invitationId) {
    Objects.requireNonNull(invitationId, "invitationId");
    Actor actor = scope.actor();
    scope.call(tx -> {
      lock(tx);
      Role actorRole = tx.requireRole(actor, "users.revokeInvitation", Role.ADMIN, Role.MANAGER);
      InvitationMapper invitations = tx.mapper(InvitationMapper.class);
      Rows.InvitationRow row = invitations.findForUpdate(tx.organizationId(), invitationId);
      if (row == null || row.acceptedAt != null) {
        throw new NotFoundException("invitation", invitationId);
      }
      if (actorRole == Role.MANAGER && (row.role == Role.ADMIN || row.role == Role.MANAGER)) {
        throw new ForbiddenException("users.revokeInvitation of a " + row.role.databaseName(), actor);
      }
      invitations.delete(tx.organizationId(), invitationId);
      return null;
    });
  }

  @Override
  public User changeRole(UUID userId, Role role) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(role, "role");
    return changeMember(userId, "users.changeRole", role != Role.ADMIN, (tx, users, target) -> {
      if (!target.isActive) {
        throw new ValidationException("userId", "user is deactivated");
      }
      users.updateRole(tx.organizationId(), userId, role);
    });
  }

  @Override
  public User deactivate(UUID userId) {
    Objects.requireNonNull(userId, "userId");
    return changeMember(userId, "users.deactivate", true,
        (tx, users, target) -> users.deactivate(tx.organizationId(), userId, tx.now()));
  }

  private interface MemberChange {
    void apply(Tx tx, UserMapper users, Rows.UserRow target);
  }

  /**
   * An admin's change to one member, under the organization's lock so two admins demoting each
   * other at once cannot leave the organization without an active admin.
   */
  private User changeMember(UUID userId, String operation, boolean removesAdmin, MemberChange change) {
    Actor actor = scope.actor();
    return scope.call(tx -> {
      lock(tx);
      tx.requireRole(actor, operation, Role.ADMIN);
      UUID org = tx.organizationId();
      UserMapper users = tx.mapper(UserMapper.class);
      Rows.UserRow target = users.find(org, userId);
      if (target == null) {
        throw new NotFoundException("user", userId);
      }
      if (removesAdmin && target.isActive && target.role == Role.ADMIN && users.countActiveAdmins(org) <= 1) {
        throw new ConflictException("the organization would have no active admin", userId);
      }
      change.apply(tx, users, target);
      tx.forget(userId);
      return users.find(org, userId).toUser();
    });
  }

  /**
   * Takes the organization's row lock (FOR NO KEY UPDATE: foreign-key checks still pass), which
   * serializes every change to seats, roles and invitations of one organization.
   */
  static void lock(Tx tx) {
    if (tx.mapper(OrganizationMapper.class).lock(tx.organizationId()) == null) {
      throw new NotFoundException("organization", tx.organizationId());
    }
  }

  /** Seat accounting shared by invitation and acceptance. */
  static final class Seats {
    private Seats() {}

    /**
     * Requires one free seat: active users plus unexpired pending invitations (other than
     * {@code excluding}, the one being turned into a user) plus one must fit max_users.
     * Call with the organization locked and expired invitations swept.
     */
    static void requireFree(Tx tx, UUID excluding) {
      UUID org = tx.organizationId();
      long used = tx.mapper(UserMapper.class).countActive(org)
          + tx.mapper(InvitationMapper.class).countPending(org, tx.now(), excluding);
      EffectiveLimits.read(tx).require(Limit.USERS, used + 1);
    }
  }
}
