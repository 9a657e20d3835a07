package io.crmkit.core.users;

import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.core.customers.CustomerQuery;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.ForbiddenException;
import io.crmkit.core.exception.LimitExceededException;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Limit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Members and invitations of the scope's organization. Each call is one transaction unless it is
 * made inside {@link TenantScope#inTransaction}. Who may do what is tabled in ARCHITECTURE.md;
 * a refused call throws {@link ForbiddenException} and changes nothing. A user or invitation id
 * this organization cannot see, another tenant's included, is answered as one that does not exist.
 */
public interface UserService {

  /** All users, active and deactivated, ordered by email. */
  List<User> list();

  /** One user, if it exists in this organization. */
  Optional<User> get(UUID userId);

  /**
   * Invites someone by email. The invitation holds a seat until it is accepted or expires (after
   * {@code Crm.Builder.invitationTtl}, seven days by default); seats (active users plus pending invitations) never exceed {@link Limit#USERS},
   * even under concurrent invitations.
   *
   * @return the invitation and its raw token, shown only here
   * @throws ValidationException for a malformed email
   * @throws ConflictException if the address is already an active member or has a pending invitation
   * @throws LimitExceededException if no seat is free
   * @throws ForbiddenException if the actor may not invite this role
   */
  IssuedInvitation invite(String email, Role role);

  /** Pending (unaccepted, unexpired) invitations, newest first. */
  List<Invitation> pendingInvitations();

  /**
   * Withdraws a pending invitation and frees its seat.
   *
   * @throws NotFoundException if there is no such pending invitation
   */
  void revokeInvitation(UUID invitationId);

  /**
   * Changes a user's role.
   *
   * @throws NotFoundException if the user does not exist
   * @throws ConflictException if it would leave the organization without an active admin
   */
  User changeRole(UUID userId, Role role);

  /**
   * Deactivates a user: it can no longer act, and frees its seat; its history stays, and so do
   * its customer assignments (find them with {@link CustomerQuery.Builder#assignedTo} to reassign
   * them). An assignment that races the deactivation ends as if it came first, and is found the
   * same way; assigning a deactivated user afterwards is refused.
   *
   * @throws NotFoundException if the user does not exist
   * @throws ConflictException if it is the last active admin
   */
  User deactivate(UUID userId);
}
