package io.crmkit.ticketing;

import io.crmkit.core.exception.ValidationException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * An organization's ticketing settings.
 *
 * @param numberFormat how numbers are written: {@code {YYYY}} (or {@code {YY}}) for the year in the
 *     organization's time zone, one {@code {N…}} for the number, as many N's as its minimum width
 *     (wider numbers keep every digit). The counter restarts each year only when the format has the
 *     year. The default is {@code TICKET-{YYYY}-{NNNN}}.
 * @param sla the SLA targets of each priority (every priority has an entry)
 */
public record TicketSettings(String numberFormat, Map<TicketPriority, SlaTarget> sla) {
  /** The default format. */
  public static final String DEFAULT_NUMBER_FORMAT = "TICKET-{YYYY}-{NNNN}";

  /**
   * Creates the settings; the map is copied and must name every priority.
   *
   * @throws ValidationException on {@code sla} if a priority has no entry (the number format is
   *     checked when the settings are saved)
   */
  public TicketSettings {
    Objects.requireNonNull(numberFormat, "numberFormat");
    Objects.requireNonNull(sla, "sla");
    EnumMap<TicketPriority, SlaTarget> copy = new EnumMap<>(TicketPriority.class);
    copy.putAll(sla);
    for (TicketPriority priority : TicketPriority.values()) {
      if (copy.get(priority) == null) {
        throw new ValidationException("sla", "has no entry for " + priority + " (use SlaTarget.none())");
      }
    }
    sla = java.util.Collections.unmodifiableMap(copy);
  }

  /**
   * The defaults: {@value #DEFAULT_NUMBER_FORMAT}; first response within 30 minutes (urgent), 2
   * hours (high), 8 hours (medium) or 24 hours (low); resolution within 4 hours, 24 hours, 3 days or
   * 7 days.
   */
  public static TicketSettings defaults() {
    return Defaults.SETTINGS;
  }

  /** Built on first use (the record's own statics are initialized first). */
  private static final class Defaults {
    static final TicketSettings SETTINGS = new TicketSettings(DEFAULT_NUMBER_FORMAT, Map.of(
        TicketPriority.URGENT, SlaTarget.of(Duration.ofMinutes(30), Duration.ofHours(4)),
        TicketPriority.HIGH, SlaTarget.of(Duration.ofHours(2), Duration.ofHours(24)),
        TicketPriority.MEDIUM, SlaTarget.of(Duration.ofHours(8), Duration.ofDays(3)),
        TicketPriority.LOW, SlaTarget.of(Duration.ofHours(24), Duration.ofDays(7))));
  }

  /** These settings with another number format. */
  public TicketSettings withNumberFormat(String format) {
    return new TicketSettings(format, sla);
  }

  /** These settings with {@code target} for {@code priority}. */
  public TicketSettings withSla(TicketPriority priority, SlaTarget target) {
    EnumMap<TicketPriority, SlaTarget> copy = new EnumMap<>(sla);
    copy.put(priority, target);
    return new TicketSettings(numberFormat, copy);
  }
}
