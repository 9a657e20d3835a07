package io.crmkit.core.pipeline;

import java.util.Map;
import java.util.Objects;

/**
 * One stage's line of the pipeline forecast.
 *
 * @param stage the stage
 * @param customers how many customers are in it
 * @param valueMinor sum of their estimated values, per currency, in minor units
 * @param weightedValueMinor the same sums times the stage's probability (rounded down), per currency
 */
public record StageForecast(SalesStage stage, long customers, Map<String, Long> valueMinor,
    Map<String, Long> weightedValueMinor) {
  /** Creates the record. */
  public StageForecast {
    Objects.requireNonNull(stage, "stage");
    valueMinor = Map.copyOf(valueMinor);
    weightedValueMinor = Map.copyOf(weightedValueMinor);
  }
}
