package io.crmkit.campaigns.internal;

import io.crmkit.campaigns.CampaignListener;
import io.crmkit.campaigns.Sleeper;
import java.time.Duration;
import java.util.List;

/**
 * What {@link io.crmkit.campaigns.CampaignsModule.Builder} sets.
 *
 * @param lease how long a runner holds what it claimed
 * @param sleeper how runners wait for send slots
 * @param listeners told of campaigns' events after commit
 */
public record CampaignsSettings(Duration lease, Sleeper sleeper, List<CampaignListener> listeners) {
  /** The defaults: a 2-minute lease, {@code Thread::sleep}, no listeners. */
  public static final CampaignsSettings DEFAULTS = new CampaignsSettings(Duration.ofMinutes(2),
      duration -> Thread.sleep(duration.toMillis(), (int) (duration.toNanosPart() % 1_000_000)), List.of());
}
