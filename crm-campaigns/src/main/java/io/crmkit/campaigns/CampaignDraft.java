package io.crmkit.campaigns;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A new campaign: its name, the WhatsApp profile it sends from, what it sends, and the random pause
 * between two sends (2 to 5 s unless set; at most an hour).
 *
 * <pre>{@code
 * Campaign campaign = campaigns.create(CampaignDraft.builder("Spring offer", profileId, content)
 *     .delay(Duration.ofSeconds(1), Duration.ofSeconds(3)).build());
 * }</pre>
 *
 * @param name 1 to 255 characters, one line
 * @param profileId the tenant's WhatsApp profile that sends it
 * @param content the template or free-form text
 * @param delayMin the least pause between two sends
 * @param delayMax the longest pause; not less than {@code delayMin}
 * @param resendUnknownAfter if set, a send whose outcome stays unknown (no status) this long is sent
 *     once more, by itself: 1 minute to 1 day. The user may then get the message twice; unset, only
 *     {@link CampaignService#resendUnknown} sends unknowns again
 */
public record CampaignDraft(String name, UUID profileId, CampaignContent content, Duration delayMin,
    Duration delayMax, Optional<Duration> resendUnknownAfter) {

  /** Creates the draft. Checked when the campaign is created. */
  public CampaignDraft {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(profileId, "profileId");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(delayMin, "delayMin");
    Objects.requireNonNull(delayMax, "delayMax");
    Objects.requireNonNull(resendUnknownAfter, "resendUnknownAfter");
  }

  /** Starts a draft with the default pause, 2 to 5 s. */
  public static Builder builder(String name, UUID profileId, CampaignContent content) {
    return new Builder(name, profileId, content);
  }

  /** Builds a {@link CampaignDraft}. */
  public static final class Builder {
    private final String name;
    private final UUID profileId;
    private final CampaignContent content;
    private Duration delayMin = Duration.ofSeconds(2);
    private Duration delayMax = Duration.ofSeconds(5);
    private Duration resendUnknownAfter;

    private Builder(String name, UUID profileId, CampaignContent content) {
      this.name = name;
      this.profileId = profileId;
      this.content = content;
    }

    /** The random pause between two sends, from {@code min} to {@code max}. */
    public Builder delay(Duration min, Duration max) {
      this.delayMin = Objects.requireNonNull(min, "min");
      this.delayMax = Objects.requireNonNull(max, "max");
      return this;
    }

    /**
     * Sends an unknown once more after {@code quiet} without a status (15 minutes is a fair
     * choice): fewer users miss the message, a few may get it twice.
     */
    public Builder resendUnknownAfter(Duration quiet) {
      this.resendUnknownAfter = Objects.requireNonNull(quiet, "quiet");
      return this;
    }

    /** The draft. */
    public CampaignDraft build() {
      return new CampaignDraft(name, profileId, content, delayMin, delayMax, Optional.ofNullable(resendUnknownAfter));
    }
  }
}
