package io.crmkit.core.exception;

import java.util.UUID;

/** The acting user is not an active member of the organization (unknown, deactivated, or of another tenant). */
public final class NotMemberException extends CrmException {
  private static final long serialVersionUID = 1L;
  private final UUID organizationId;
  private final UUID userId;

  /** Creates the exception for a user and the organization it tried to act in. */
  public NotMemberException(UUID organizationId, UUID userId) {
    super("user " + userId + " is not an active member of organization " + organizationId);
    this.organizationId = organizationId;
    this.userId = userId;
  }

  /** The organization the user tried to act in. */
  public UUID organizationId() {
    return organizationId;
  }

  /** The user. */
  public UUID userId() {
    return userId;
  }
}
