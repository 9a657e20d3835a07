package io.crmkit.core.users;

import java.util.Locale;

/** A member's role in an organization; what each may do is tabled in ARCHITECTURE.md. */
public enum Role {
  /** Manages users, roles and settings. */
  ADMIN,
  /** Invites agents and members and runs the team's work. */
  MANAGER,
  /** Works conversations, customers and tickets. */
  AGENT,
  /** Reads. */
  MEMBER;

  /** The word stored in the database, e.g. {@code "admin"}. */
  public String databaseName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
