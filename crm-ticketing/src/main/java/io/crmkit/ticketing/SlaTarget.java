package io.crmkit.ticketing;

import io.crmkit.core.exception.ValidationException;
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
  /** The longest target, in minutes: ten years. */
  private static final long MAX_MINUTES = 3650L * 24 * 60;

  /**
   * Creates the targets.
   *
   * @throws ValidationException on {@code firstResponse} or {@code resolution} for a target that is
   *     not a whole number of minutes from 1 minute to ten years
   */
  public SlaTarget {
    Objects.requireNonNull(firstResponse, "firstResponse");
    Objects.requireNonNull(resolution, "resolution");
    firstResponse.ifPresent(target -> check("firstResponse", target));
    resolution.ifPresent(target -> check("resolution", target));
  }

  /** Both targets. */
  public static SlaTarget of(Duration firstResponse, Duration resolution) {
    return new SlaTarget(Optional.of(firstResponse), Optional.of(resolution));
  }

  /** No targets. */
  public static SlaTarget none() {
    return new SlaTarget(Optional.empty(), Optional.empty());
  }

  private static void check(String field, Duration target) {
    if (target.isNegative() || target.isZero() || target.getNano() != 0 || target.getSeconds() % 60 != 0
        || target.toMinutes() > MAX_MINUTES) {
      throw new ValidationException(field, "must be a whole number of minutes, 1 to " + MAX_MINUTES + " (ten years)");
    }
  }
}
