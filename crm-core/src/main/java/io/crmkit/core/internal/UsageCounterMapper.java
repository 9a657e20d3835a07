package io.crmkit.core.internal;

import java.time.LocalDate;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** usage_counters. SQL in UsageCounterMapper.xml. */
interface UsageCounterMapper {
  /** Adds {@code amount} unless the result would pass {@code limit} (null: no limit); returns the new value or null. */
  Long increment(@Param("organizationId") UUID organizationId, @Param("metric") String metric,
      @Param("period") LocalDate period, @Param("amount") long amount, @Param("limit") Long limit);

  /**
   * Like {@link #increment}, with the limit read from get_organization_limits() in the same
   * statement; null when refused or when the function has no value for {@code limitName}.
   */
  Long incrementWithinLimit(@Param("organizationId") UUID organizationId, @Param("metric") String metric,
      @Param("period") LocalDate period, @Param("amount") long amount, @Param("limitName") String limitName);

  int release(@Param("organizationId") UUID organizationId, @Param("metric") String metric,
      @Param("period") LocalDate period, @Param("amount") long amount);

  Long value(@Param("organizationId") UUID organizationId, @Param("metric") String metric,
      @Param("period") LocalDate period);
}
