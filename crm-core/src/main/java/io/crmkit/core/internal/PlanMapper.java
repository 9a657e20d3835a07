package io.crmkit.core.internal;

import java.util.List;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** packages (the plan catalog) and the entitlement functions. SQL in PlanMapper.xml. */
interface PlanMapper {
  List<Rows.PlanRow> all();

  Rows.PlanRow findBySlug(@Param("slug") String slug);

  Rows.PlanRow findById(@Param("id") UUID id);

  List<Rows.LimitRow> organizationLimits(@Param("organizationId") UUID organizationId);

  boolean hasFeature(@Param("organizationId") UUID organizationId, @Param("feature") String feature);

  String sellingElsewhere(@Param("slug") String slug, @Param("monthly") String monthly, @Param("yearly") String yearly);

  int setStripePrices(@Param("slug") String slug, @Param("monthly") String monthly, @Param("yearly") String yearly);
}
