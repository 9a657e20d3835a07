package io.crmkit.core.internal;

import io.crmkit.core.Actor;
import java.util.UUID;

/**
 * An actor as activity rows record it: {@code performed_by} for a member, {@code performed_by_system}
 * for a system actor; exactly one is set.
 */
record Performer(UUID member, String system) {
  static Performer of(Actor actor) {
    if (actor instanceof Actor.Member m) {
      return new Performer(m.userId(), null);
    }
    return new Performer(null, ((Actor.System) actor).name());
  }
}
