package io.crmkit.campaigns;

import java.util.Locale;

/** Where a campaign is in its life: draft → scheduled → running ⇄ paused → completed, or stopped. */
public enum CampaignStatus {
  /** Being written: content and recipients may change. */
  DRAFT,
  /** Starts by itself at its time. */
  SCHEDULED,
  /** Being sent. */
  RUNNING,
  /** Halted by a person or by itself (with the reason); resumes where it stopped. */
  PAUSED,
  /** Every recipient handled; read-only, but for {@link CampaignService#resendUnknown}. */
  COMPLETED,
  /** Ended before every recipient was handled; read-only. */
  STOPPED;

  /** The word stored in the database, e.g. {@code "running"}. */
  public String databaseName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the campaign is read-only: completed or stopped. */
  public boolean isFinal() {
    return this == COMPLETED || this == STOPPED;
  }
}
