package io.crmkit.core.internal;

import io.crmkit.core.Pipeline;
import io.crmkit.core.SalesStage;
import java.util.List;

/** {@link Pipeline} over the sales_stages table. */
final class SqlPipeline implements Pipeline {
  private final SqlTenantScope scope;

  SqlPipeline(SqlTenantScope scope) {
    this.scope = scope;
  }

  @Override
  public List<SalesStage> stages() {
    return scope.call(tx -> tx.mapper(PipelineMapper.class).stages(tx.organizationId()).stream()
        .map(Rows.StageRow::toStage).toList());
  }
}
