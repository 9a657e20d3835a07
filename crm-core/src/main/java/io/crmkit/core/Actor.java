package io.crmkit.core;

import java.util.Objects;
import java.util.UUID;

/**
 * Who acts in a {@link TenantScope}: a member (a person, by CRMKit user id) or a named system
 * actor such as a webhook or an import job.
 */
public sealed interface Actor permits Actor.Member, Actor.System {

  /** A user of the organization; CRMKit checks it is an active member in every transaction. */
  record Member(UUID userId) implements Actor {
    /** Creates the actor. */
    public Member {
      Objects.requireNonNull(userId, "userId");
    }

    @Override
    public String toString() {
      return "user " + userId;
    }
  }

  /** A machine acting for the organization, named for logs, e.g. {@code "webhook"}. */
  record System(String name) implements Actor {
    /** Creates the actor; the name is 1 to 50 letters, digits, '-', '_' or '.'. */
    public System {
      Objects.requireNonNull(name, "name");
      if (!name.matches("[A-Za-z0-9._-]{1,50}")) {
        throw new IllegalArgumentException("system actor name must be 1-50 of [A-Za-z0-9._-], was: " + name);
      }
    }

    @Override
    public String toString() {
      return "system actor " + name;
    }
  }
}
