package io.crmkit.campaigns;

import java.time.Duration;

/**
 * How a campaign runner waits for its next send slot: {@code Thread::sleep} by default. Tests give
 * one that moves their clock instead ({@code CampaignsModule.builder().sleeper(clock::advance)}), so
 * they never sleep through a real pace.
 */
@FunctionalInterface
public interface Sleeper {
  /** Waits {@code duration}, positive. */
  void sleep(Duration duration) throws InterruptedException;
}
