package io.crmkit.campaigns;

import java.util.Locale;

/** Where one recipient of a campaign is. */
public enum RecipientStatus {
  /** Waits for its send. */
  PENDING,
  /** Gets nothing, for its {@link SkipReason}. */
  SKIPPED;

  /** The word stored in the database, e.g. {@code "pending"}. */
  public String databaseName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
