package io.crmkit.ticketing.internal;

import io.crmkit.ticketing.TicketPriority;
import java.util.List;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** ticketing_settings and ticket_sla_targets; a missing row means the defaults. SQL in TicketSettingsMapper.xml. */
interface TicketSettingsMapper {
  /** The organization's number format, or null for the default. */
  String numberFormat(@Param("organizationId") UUID organizationId);

  List<TicketRows.SlaTargetRow> slaTargets(@Param("organizationId") UUID organizationId);

  int saveNumberFormat(@Param("organizationId") UUID organizationId, @Param("format") String format);

  int saveSlaTarget(@Param("organizationId") UUID organizationId, @Param("priority") TicketPriority priority,
      @Param("firstResponseMinutes") Integer firstResponseMinutes,
      @Param("resolutionMinutes") Integer resolutionMinutes);

  /** What opening or re-timing a ticket of {@code priority} needs, in one statement. */
  TicketRows.OpenContextRow openContext(@Param("organizationId") UUID organizationId,
      @Param("priority") TicketPriority priority);
}
