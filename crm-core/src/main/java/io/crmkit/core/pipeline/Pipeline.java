package io.crmkit.core.pipeline;

import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.ValidationException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The scope's sales pipeline. Each call is one transaction unless made inside
 * {@link TenantScope#inTransaction}. Changing stages is for admins and managers; everyone reads.
 * A stage id this organization cannot see, another tenant's included, is a
 * {@link io.crmkit.core.exception.NotFoundException} for {@code "stage"}, as one that does not exist;
 * bad input is a {@link ValidationException} naming the parameter, before any SQL.
 */
public interface Pipeline {

  /** The stages in pipeline order (ties by id); a provisioned organization starts with the seed's six. */
  List<SalesStage> stages();

  /**
   * Adds a stage at the end of the pipeline.
   *
   * @throws ValidationException for a blank name, a color that is not {@code #RRGGBB}, or a probability outside 0–100
   * @throws ConflictException if a stage has that name already (case-insensitive)
   */
  SalesStage createStage(String name, String color, int probability);

  /** Renames a stage. */
  SalesStage renameStage(UUID stageId, String name);

  /** Changes a stage's color ({@code #RRGGBB}). */
  SalesStage recolorStage(UUID stageId, String color);

  /** Changes a stage's probability, 0 to 100. */
  SalesStage setProbability(UUID stageId, int probability);

  /** Makes a stage the default, the one new customers without a stage land in. */
  SalesStage setDefault(UUID stageId);

  /**
   * Puts the stages in this order.
   *
   * @throws ValidationException unless {@code stageIds} names every stage exactly once
   */
  List<SalesStage> reorder(List<UUID> stageIds);

  /**
   * Deletes a stage. A stage with customers needs {@code moveCustomersTo}: they move there, each
   * with a {@code stage_change} activity.
   *
   * @throws ConflictException if the stage has customers and no target is given
   * @throws ValidationException for the default stage (make another the default first) or a target that is the stage itself
   */
  void deleteStage(UUID stageId, Optional<UUID> moveCustomersTo);

  /**
   * Per stage, in pipeline order: customers, value and weighted value (value × probability), for
   * the whole organization or the customers of one assignee.
   */
  List<StageForecast> forecast(Optional<UUID> assignee);
}
