package io.crmkit.core.internal;

import java.util.List;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** sales_stages. SQL in PipelineMapper.xml. */
interface PipelineMapper {
  List<Rows.StageRow> stages(@Param("organizationId") UUID organizationId);
}
