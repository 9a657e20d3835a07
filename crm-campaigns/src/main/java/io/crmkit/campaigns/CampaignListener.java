package io.crmkit.campaigns;

/**
 * Receives {@link CampaignEvent}s after their transaction commits, on the thread that committed (a
 * runner's, or the caller's); an exception it throws is logged and undoes nothing. Given with
 * {@code CampaignsModule.builder().listener(…)}.
 */
@FunctionalInterface
public interface CampaignListener {
  /** Handles one event; keep it short, a runner waits for it. */
  void onEvent(CampaignEvent event);
}
