package io.crmkit.ticketing;

import java.util.Map;
import java.util.UUID;

/**
 * A ticket board's numbers.
 *
 * @param byStatus how many tickets are in each status (every status has an entry)
 * @param openByAssignee how many tickets not yet resolved or closed each member has
 * @param openUnassigned how many tickets not yet resolved or closed nobody has
 */
public record TicketCounts(Map<TicketStatus, Long> byStatus, Map<UUID, Long> openByAssignee, long openUnassigned) {
  /** Creates the counts; the maps are copied. */
  public TicketCounts {
    byStatus = Map.copyOf(byStatus);
    openByAssignee = Map.copyOf(openByAssignee);
  }
}
