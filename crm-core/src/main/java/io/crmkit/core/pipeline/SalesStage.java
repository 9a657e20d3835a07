package io.crmkit.core.pipeline;

import java.util.Objects;
import java.util.UUID;

/**
 * A stage of an organization's sales pipeline.
 *
 * @param id the stage id
 * @param name display name, unique per organization (case-insensitive)
 * @param displayOrder position in the pipeline, ascending
 * @param color hex color such as {@code #3B82F6}
 * @param probability chance of winning a deal in this stage, 0 to 100, for the forecast
 * @param isDefault whether new customers without a stage land here; exactly one stage is
 */
public record SalesStage(UUID id, String name, int displayOrder, String color, int probability, boolean isDefault) {
  /** Creates the record. */
  public SalesStage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(color, "color");
  }
}
