package io.crmkit.core.users;

import io.crmkit.core.Crm;
import java.util.Objects;

/**
 * A new invitation and its raw token. The token is shown this once (send it to the invitee, for
 * example in a link); CRMKit keeps only its hash. Its {@code toString()} does not print the token.
 *
 * @param invitation the stored invitation
 * @param token the secret the invitee passes to {@link Crm#acceptInvitation(String, NewMember)}
 */
public record IssuedInvitation(Invitation invitation, String token) {
  /** Creates the record. */
  public IssuedInvitation {
    Objects.requireNonNull(invitation, "invitation");
    Objects.requireNonNull(token, "token");
  }

  @Override
  public String toString() {
    return "IssuedInvitation[invitation=" + invitation + ", token=<redacted>]";
  }
}
