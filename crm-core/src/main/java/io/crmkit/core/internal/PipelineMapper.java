package io.crmkit.core.internal;

import java.util.List;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** sales_stages and the forecast. SQL in PipelineMapper.xml. */
interface PipelineMapper {
  void insertDefaultStages(@Param("organizationId") UUID organizationId);

  List<Rows.StageRow> stages(@Param("organizationId") UUID organizationId);

  Rows.StageRow stage(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  UUID idByName(@Param("organizationId") UUID organizationId, @Param("name") String name);

  UUID insert(@Param("organizationId") UUID organizationId, @Param("name") String name, @Param("color") String color,
      @Param("probability") int probability);

  int rename(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("name") String name);

  int recolor(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("color") String color);

  int setProbability(@Param("organizationId") UUID organizationId, @Param("id") UUID id,
      @Param("probability") int probability);

  int clearDefault(@Param("organizationId") UUID organizationId);

  int makeDefault(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  int setOrder(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("order") int order);

  long customersIn(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  UUID lockForDelete(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  long moveCustomers(@Param("organizationId") UUID organizationId, @Param("from") UUID from, @Param("to") UUID to,
      @Param("member") UUID member, @Param("system") String system);

  int delete(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  List<Rows.ForecastRow> forecast(@Param("organizationId") UUID organizationId, @Param("assignee") UUID assignee);
}
