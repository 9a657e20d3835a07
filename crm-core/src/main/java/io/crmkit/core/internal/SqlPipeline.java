package io.crmkit.core.internal;

import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.pipeline.Pipeline;
import io.crmkit.core.pipeline.SalesStage;
import io.crmkit.core.pipeline.StageForecast;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.users.Role;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** {@link Pipeline} over the sales_stages table. */
final class SqlPipeline implements Pipeline {
  private static final Pattern COLOR = Pattern.compile("#[0-9A-Fa-f]{6}");

  private final SqlTenantScope scope;

  SqlPipeline(SqlTenantScope scope) {
    this.scope = scope;
  }

  @Override
  public List<SalesStage> stages() {
    return scope.call(SqlPipeline::read);
  }

  @Override
  public SalesStage createStage(String name, String color, int probability) {
    String checkedName = Inputs.text("name", name, 100);
    String checkedColor = color(color);
    probability(probability);
    return manage(tx -> {
      PipelineMapper stages = tx.mapper(PipelineMapper.class);
      UUID existing = stages.idByName(tx.organizationId(), checkedName);
      if (existing != null) {
        throw new ConflictException("a stage named " + checkedName + " exists", existing);
      }
      UUID id = stages.insert(tx.organizationId(), checkedName, checkedColor, probability);
      return stage(tx, id);
    });
  }

  @Override
  public SalesStage renameStage(UUID stageId, String name) {
    Objects.requireNonNull(stageId, "stageId");
    String checked = Inputs.text("name", name, 100);
    return manage(tx -> {
      // The stage first: an id this tenant cannot see is not found, whatever the name.
      stage(tx, stageId);
      UUID existing = tx.mapper(PipelineMapper.class).idByName(tx.organizationId(), checked);
      if (existing != null && !existing.equals(stageId)) {
        throw new ConflictException("a stage named " + checked + " exists", existing);
      }
      return updated(tx, stageId, tx.mapper(PipelineMapper.class).rename(tx.organizationId(), stageId, checked));
    });
  }

  @Override
  public SalesStage recolorStage(UUID stageId, String color) {
    Objects.requireNonNull(stageId, "stageId");
    String checked = color(color);
    return manage(tx -> updated(tx, stageId, tx.mapper(PipelineMapper.class).recolor(tx.organizationId(), stageId,
        checked)));
  }

  @Override
  public SalesStage setProbability(UUID stageId, int probability) {
    Objects.requireNonNull(stageId, "stageId");
    probability(probability);
    return manage(tx -> updated(tx, stageId, tx.mapper(PipelineMapper.class).setProbability(tx.organizationId(),
        stageId, probability)));
  }

  @Override
  public SalesStage setDefault(UUID stageId) {
    Objects.requireNonNull(stageId, "stageId");
    return manage(tx -> {
      PipelineMapper stages = tx.mapper(PipelineMapper.class);
      stage(tx, stageId);
      // Clear first: the partial unique index allows one default at a time.
      stages.clearDefault(tx.organizationId());
      stages.makeDefault(tx.organizationId(), stageId);
      return stage(tx, stageId);
    });
  }

  @Override
  public List<SalesStage> reorder(List<UUID> stageIds) {
    Objects.requireNonNull(stageIds, "stageIds");
    return manage(tx -> {
      List<SalesStage> current = read(tx);
      if (stageIds.size() != current.size() || !new HashSet<>(stageIds).equals(
          new HashSet<>(current.stream().map(SalesStage::id).toList()))) {
        throw new ValidationException("stageIds", "must name every stage of the pipeline exactly once");
      }
      for (int i = 0; i < stageIds.size(); i++) {
        tx.mapper(PipelineMapper.class).setOrder(tx.organizationId(), stageIds.get(i), i + 1);
      }
      return read(tx);
    });
  }

  @Override
  public void deleteStage(UUID stageId, Optional<UUID> moveCustomersTo) {
    Objects.requireNonNull(stageId, "stageId");
    Objects.requireNonNull(moveCustomersTo, "moveCustomersTo");
    manage(tx -> {
      PipelineMapper stages = tx.mapper(PipelineMapper.class);
      SalesStage stage = stage(tx, stageId);
      // Locked before counting: customers created into it or moved to it meanwhile wait, then fail.
      stages.lockForDelete(tx.organizationId(), stageId);
      if (stage.isDefault()) {
        throw new ValidationException("stageId", "is the default stage; make another stage the default first");
      }
      long customers = stages.customersIn(tx.organizationId(), stageId);
      if (customers > 0) {
        UUID target = moveCustomersTo.orElseThrow(() -> new ConflictException("stage " + stage.name() + " has "
            + customers + " customer(s); name a stage to move them to", stageId));
        if (target.equals(stageId)) {
          throw new ValidationException("moveCustomersTo", "is the stage being deleted");
        }
        stage(tx, target);
        Performer by = Performer.of(scope.actor());
        stages.moveCustomers(tx.organizationId(), stageId, target, by.member(), by.system());
      }
      stages.delete(tx.organizationId(), stageId);
      return null;
    });
  }

  @Override
  public List<StageForecast> forecast(Optional<UUID> assignee) {
    Objects.requireNonNull(assignee, "assignee");
    return scope.call(tx -> {
      Map<UUID, List<Rows.ForecastRow>> byStage = new HashMap<>();
      for (Rows.ForecastRow row : tx.mapper(PipelineMapper.class).forecast(tx.organizationId(),
          assignee.orElse(null))) {
        byStage.computeIfAbsent(row.stageId, k -> new java.util.ArrayList<>()).add(row);
      }
      return read(tx).stream().map(stage -> {
        long count = 0;
        Map<String, Long> value = new LinkedHashMap<>();
        Map<String, Long> weighted = new LinkedHashMap<>();
        for (Rows.ForecastRow row : byStage.getOrDefault(stage.id(), List.of())) {
          count += row.customers;
          value.put(row.currency, row.valueMinor);
          // Values are capped at 10^15 minor units each, sums in long; the product cannot wrap silently.
          weighted.put(row.currency, Math.multiplyExact(row.valueMinor, (long) stage.probability()) / 100);
        }
        return new StageForecast(stage, count, value, weighted);
      }).toList();
    });
  }

  /** A stage change by an admin or manager, under the organization's lock. */
  private <R> R manage(TxWork<R, RuntimeException> work) {
    return scope.call(tx -> {
      SqlUserService.lock(tx);
      if (scope.actor() instanceof io.crmkit.core.Actor.Member) {
        tx.requireRole(scope.actor(), "pipeline.manage", Role.ADMIN, Role.MANAGER);
      } else {
        throw new io.crmkit.core.exception.ForbiddenException("pipeline.manage", scope.actor());
      }
      return work.run(tx);
    });
  }

  private static List<SalesStage> read(Tx tx) {
    return tx.mapper(PipelineMapper.class).stages(tx.organizationId()).stream().map(Rows.StageRow::toStage).toList();
  }

  private static SalesStage stage(Tx tx, UUID stageId) {
    Objects.requireNonNull(stageId, "stageId");
    Rows.StageRow row = tx.mapper(PipelineMapper.class).stage(tx.organizationId(), stageId);
    if (row == null) {
      throw new NotFoundException("stage", stageId);
    }
    return row.toStage();
  }

  private static SalesStage updated(Tx tx, UUID stageId, int rows) {
    if (rows == 0) {
      throw new NotFoundException("stage", stageId);
    }
    return stage(tx, stageId);
  }

  private static String color(String color) {
    if (color == null || !COLOR.matcher(color).matches()) {
      throw new ValidationException("color", "must be #RRGGBB");
    }
    return color.toUpperCase(java.util.Locale.ROOT);
  }

  private static void probability(int probability) {
    if (probability < 0 || probability > 100) {
      throw new ValidationException("probability", "must be 0 to 100");
    }
  }
}
