package io.crmkit.ticketing.internal;

import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.core.users.Role;
import io.crmkit.ticketing.SlaTarget;
import io.crmkit.ticketing.TicketPriority;
import io.crmkit.ticketing.TicketSettings;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;

/**
 * An organization's ticketing settings, stored as a settings row and a targets row per priority;
 * a missing row means the defaults ({@link TicketSettings#defaults()}).
 */
final class TicketSettingsStore {
  private TicketSettingsStore() {}

  static TicketSettings read(TenantScope scope) {
    return TenantWork.call(scope, TicketSettingsStore::read);
  }

  static TicketSettings read(TenantTransaction tx) {
    TicketSettingsMapper mapper = tx.mapper(TicketSettingsMapper.class);
    TicketSettings settings = TicketSettings.defaults();
    String format = mapper.numberFormat(tx.organizationId());
    if (format != null) {
      settings = settings.withNumberFormat(format);
    }
    for (TicketRows.SlaTargetRow row : mapper.slaTargets(tx.organizationId())) {
      settings = settings.withSla(row.priority, row.toTarget());
    }
    return settings;
  }

  /** Replaces the settings; admins only. */
  static TicketSettings update(TenantScope scope, TicketSettings settings) {
    Objects.requireNonNull(settings, "settings");
    String format = TicketInputs.numberFormat(settings.numberFormat());
    return TenantWork.call(scope, tx -> {
      tx.requireRole("tickets.settings", Role.ADMIN);
      TicketSettingsMapper mapper = tx.mapper(TicketSettingsMapper.class);
      mapper.saveNumberFormat(tx.organizationId(), format);
      for (Map.Entry<TicketPriority, SlaTarget> entry : settings.sla().entrySet()) {
        mapper.saveSlaTarget(tx.organizationId(), entry.getKey(), TicketSlas.minutes(entry.getValue().firstResponse()),
            TicketSlas.minutes(entry.getValue().resolution()));
      }
      return read(tx);
    });
  }

  /**
   * What opening or re-timing a ticket needs, read in one statement.
   *
   * @param format the number format
   * @param zone the organization's time zone
   * @param target the priority's SLA targets
   * @param ticketing whether the organization's plan has ticketing
   */
  record OpenContext(String format, ZoneId zone, SlaTarget target, boolean ticketing) {
    static OpenContext read(TenantTransaction tx, TicketPriority priority) {
      TicketRows.OpenContextRow row = tx.mapper(TicketSettingsMapper.class).openContext(tx.organizationId(), priority);
      if (row == null) {
        throw new NotFoundException("organization", tx.organizationId());
      }
      String format = row.numberFormat == null ? TicketSettings.DEFAULT_NUMBER_FORMAT : row.numberFormat;
      SlaTarget target = row.priority == null ? TicketSettings.defaults().sla().get(priority)
          : new SlaTarget(TicketSlas.duration(row.firstResponseMinutes), TicketSlas.duration(row.resolutionMinutes));
      return new OpenContext(format, ZoneId.of(row.timeZone), target, row.ticketing);
    }

    /** The counter's period: the year in the organization's time zone if the format writes it, else "-". */
    String period(Instant now) {
      return format.contains("{YYYY}") || format.contains("{YY}")
          ? Integer.toString(LocalDate.ofInstant(now, zone).getYear()) : "-";
    }

    /** The first day of the organization's month: the period of max_tickets_per_month. */
    LocalDate month(Instant now) {
      return LocalDate.ofInstant(now, zone).withDayOfMonth(1);
    }
  }
}
