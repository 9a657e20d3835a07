package io.crmkit.ticketing.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.ticketing.TicketPriority;
import io.crmkit.ticketing.TicketStatus;
import io.crmkit.ticketing.TicketType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/**
 * tickets and ticket_counters, and the reads of core's tables a ticket needs. SQL in
 * TicketMapper.xml; {@code numberAndCommit} there has no method: it is sent with its COMMIT by
 * {@code queryAndCommit} only.
 */
interface TicketMapper {
  TicketRows.TicketRow find(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  TicketRows.TicketRow findForUpdate(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  TicketRows.TicketRow findByNumber(@Param("organizationId") UUID organizationId, @Param("number") String number);

  boolean customerExists(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  boolean isActiveMember(@Param("organizationId") UUID organizationId, @Param("id") UUID userId);

  /**
   * Takes the month's unit (if {@link Numbering#count}), then the period's counter row, and inserts
   * the ticket with its number: null when the unit was refused; {@code took} set and no ticket when
   * the period has no counter row yet.
   */
  TicketRows.NumberedRow number(Numbering numbering);

  /** Creates the period's counter at 0 unless a concurrent first ticket of the period did. */
  int createCounter(@Param("organizationId") UUID organizationId, @Param("period") String period);

  TicketRows.TicketRow edit(Edit edit);

  TicketRows.TicketRow move(Move move);

  /** Stops the first-response clock of an unfinished ticket, once. */
  int markAnswered(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("now") Instant now);

  /** Through list_tickets(), which takes the tenant from the transaction's setting. */
  List<TicketRows.TicketRow> list(ListFilter filter);

  List<TicketRows.CountRow> counts(@Param("organizationId") UUID organizationId);

  List<TicketRows.TicketRow> slaDue(@Param("organizationId") UUID organizationId, @Param("horizon") Instant horizon,
      @Param("limit") int limit);

  int moveToCustomer(@Param("organizationId") UUID organizationId, @Param("survivor") UUID survivor,
      @Param("duplicate") UUID duplicate);

  /**
   * A ticket to number and insert.
   *
   * @param count whether the statement takes the month's unit (false: taken already)
   * @param prefix the number's text before its digits, the year written
   * @param width the digits' minimum width
   * @param suffix the number's text after its digits
   */
  record Numbering(boolean count, UUID organizationId, String metric, LocalDate month, String limitName,
      String period, UUID id, String prefix, int width, String suffix, UUID customerId, UUID conversationId,
      String title, String description, TicketType type, TicketPriority priority, UUID assignee, UUID createdBy,
      List<String> tags, JsonNode customFields, Instant firstResponseDue, Instant now, Instant resolutionDue) {

    /** The same ticket, the month's unit taken already. */
    Numbering counted() {
      return new Numbering(false, organizationId, metric, month, limitName, period, id, prefix, width, suffix,
          customerId, conversationId, title, description, type, priority, assignee, createdBy, tags, customFields,
          firstResponseDue, now, resolutionDue);
    }
  }

  /**
   * What an update writes: a column a ticket always has when not null, the description and the
   * assignee when their flag says so; a new priority with its targets' minutes (null: no target).
   */
  record Edit(UUID organizationId, UUID id, String title, boolean setsDescription, String description,
      TicketType type, boolean setsAssignee, UUID assignee, List<String> tags, JsonNode customFields,
      TicketPriority priority, Integer firstResponseMinutes, Integer resolutionMinutes) {}

  /**
   * A move along the workflow at {@code now}: its stamps ({@code reopen} clears them,
   * {@code resolve} and {@code close} set them) and its SLA clocks ({@code resume} ends a pause,
   * {@code pause} starts one, {@code restart} starts the resolution clock again with
   * {@code resolutionMinutes}).
   */
  record Move(UUID organizationId, UUID id, TicketStatus to, Instant now, boolean reopen, boolean resolve,
      boolean close, boolean resume, boolean pause, boolean restart, Integer resolutionMinutes) {}

  /** list_tickets()'s arguments; a null filter is not applied. */
  record ListFilter(List<String> statuses, List<String> priorities, List<String> types, UUID assignee,
      boolean unassigned, UUID customerId, String tag, String text, Instant afterAt, UUID afterId, int limit) {}
}
