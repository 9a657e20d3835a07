package io.crmkit.campaigns;

import java.util.Locale;

/** Where one recipient of a campaign is. */
public enum RecipientStatus {
  /** Waits for its send. */
  PENDING,
  /** Gets nothing, for its {@link SkipReason}. */
  SKIPPED,
  /** A runner is sending to it now. */
  SENDING,
  /** WhatsApp accepted its message. */
  SENT,
  /** WhatsApp refused its message for good; its result says why. */
  FAILED,
  /** Its send may or may not have reached WhatsApp; never sent again by itself. */
  UNKNOWN;

  /** The word stored in the database, e.g. {@code "pending"}. */
  public String databaseName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
