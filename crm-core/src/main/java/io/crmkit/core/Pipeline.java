package io.crmkit.core;

import java.util.List;

/** The scope's sales pipeline. Each call is one transaction unless made inside {@link TenantScope#inTransaction}. */
public interface Pipeline {

  /** The stages in pipeline order (ties by id); a provisioned organization starts with the seed's six. */
  List<SalesStage> stages();
}
