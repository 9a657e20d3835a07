package io.crmkit.ticketing;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A priority's SLA targets: how long until the first response and until resolution, in whole
 * minutes. Empty means no target.
 *
 * @param firstResponse the time to the first public response
 * @param resolution the time to resolution, pauses (waiting) not counted
 */
public record SlaTarget(Optional<Duration> firstResponse, Optional<Duration> resolution) {
  /** Creates the targets. */
  public SlaTarget {
    Objects.requireNonNull(firstResponse, "firstResponse");
    Objects.requireNonNull(resolution, "resolution");
    firstResponse.ifPresent(SlaTarget::check);
    resolution.ifPresent(SlaTarget::check);
  }

  /** Both targets. */
  public static SlaTarget of(Duration firstResponse, Duration resolution) {
    return new SlaTarget(Optional.of(firstResponse), Optional.of(resolution));
  }

  /** No targets. */
  public static SlaTarget none() {
    return new SlaTarget(Optional.empty(), Optional.empty());
  }

  private static void check(Duration target) {
    if (target.isNegative() || target.isZero() || target.toSeconds() % 60 != 0 || target.toMinutes() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("an SLA target is a positive number of whole minutes, was " + target);
    }
  }
}
