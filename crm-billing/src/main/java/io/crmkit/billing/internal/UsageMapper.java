package io.crmkit.billing.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** Usage records and meter events; SQL in UsageMapper.xml. */
interface UsageMapper {
  List<UUID> usageDue(@Param("before") Instant before, @Param("max") int max);

  Boolean startRun(@Param("organizationId") UUID organizationId, @Param("now") Instant now,
      @Param("before") Instant before);

  List<UsageRows.Amount> takeGrowth(@Param("organizationId") UUID organizationId, @Param("since") LocalDate since,
      @Param("countFrom") LocalDate countFrom);

  int forgetMarks(@Param("organizationId") UUID organizationId, @Param("since") LocalDate since);

  List<UsageRows.Amount> levels(@Param("organizationId") UUID organizationId);

  int addUsage(@Param("organizationId") UUID organizationId, @Param("metric") String metric,
      @Param("start") Instant start, @Param("end") Instant end, @Param("amount") long amount,
      @Param("counted") boolean counted, @Param("now") Instant now);

  Long meterGrowth(@Param("organizationId") UUID organizationId, @Param("metric") String metric,
      @Param("start") Instant start);

  List<UsageRows.Usage> usage(@Param("organizationId") UUID organizationId, @Param("periods") int periods);

  int queueMeterEvent(@Param("organizationId") UUID organizationId, @Param("metric") String metric,
      @Param("eventName") String eventName, @Param("customer") String customer, @Param("value") long value,
      @Param("occurredAt") Instant occurredAt);

  List<UsageRows.Due> meterEventsDue(@Param("now") Instant now, @Param("max") int max);

  UsageRows.MeterEvent claimMeterEvent(@Param("organizationId") UUID organizationId, @Param("id") UUID id,
      @Param("now") Instant now, @Param("leaseUntil") Instant leaseUntil);

  int settleMeterEvent(@Param("organizationId") UUID organizationId, @Param("id") UUID id,
      @Param("leaseUntil") Instant leaseUntil, @Param("status") String status, @Param("attempted") boolean attempted,
      @Param("maybeSentAt") Instant maybeSentAt,
      @Param("nextAttemptAt") Instant nextAttemptAt, @Param("error") String error, @Param("now") Instant now);
}
