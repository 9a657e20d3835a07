package io.crmkit.core.users;

import java.util.Objects;
import java.util.Optional;

/**
 * What the invitee tells about itself when accepting an invitation.
 *
 * @param fullName display name, if given
 * @param externalRef the host application's reference for the person (its user id), if any
 */
public record NewMember(Optional<String> fullName, Optional<String> externalRef) {
  /** Creates the record. */
  public NewMember {
    Objects.requireNonNull(fullName, "fullName");
    Objects.requireNonNull(externalRef, "externalRef");
  }

  /** A member known by name and by the host's reference. */
  public static NewMember of(String fullName, String externalRef) {
    return new NewMember(Optional.of(fullName), Optional.of(externalRef));
  }

  /** A member known by name only. */
  public static NewMember named(String fullName) {
    return new NewMember(Optional.of(fullName), Optional.empty());
  }
}
