package io.crmkit.ticketing.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.core.spi.Json;
import io.crmkit.ticketing.Attachment;
import io.crmkit.ticketing.SlaTarget;
import io.crmkit.ticketing.Ticket;
import io.crmkit.ticketing.TicketComment;
import io.crmkit.ticketing.TicketPriority;
import io.crmkit.ticketing.TicketSla;
import io.crmkit.ticketing.TicketStatus;
import io.crmkit.ticketing.TicketType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Rows MyBatis fills by column name (underscores to camel case, types by core's handlers), turned
 * into the public records here, so the records stay free of mapping concerns.
 */
final class TicketRows {
  private TicketRows() {}

  /** A row of {@code tickets}. */
  static class TicketRow {
    UUID id;
    String ticketNumber;
    UUID customerId;
    UUID conversationId;
    String title;
    String description;
    TicketType type;
    TicketStatus status;
    TicketPriority priority;
    UUID assignedTo;
    UUID createdBy;
    List<String> tags;
    JsonNode customFields;
    long version;
    Instant resolvedAt;
    Instant closedAt;
    Instant firstResponseDueAt;
    Instant firstRespondedAt;
    Instant resolutionDueAt;
    Instant resolutionPausedAt;
    long resolutionPausedSeconds;
    Instant createdAt;
    Instant updatedAt;

    Ticket toTicket() {
      TicketSla sla = new TicketSla(Optional.ofNullable(firstResponseDueAt), Optional.ofNullable(firstRespondedAt),
          Optional.ofNullable(resolutionDueAt), Optional.ofNullable(resolutionPausedAt),
          Duration.ofSeconds(resolutionPausedSeconds));
      return new Ticket(id, ticketNumber, Optional.ofNullable(customerId), Optional.ofNullable(conversationId), title,
          Optional.ofNullable(description), type, status, priority, Optional.ofNullable(assignedTo),
          Optional.ofNullable(createdBy), tags == null ? List.of() : tags, customFields(customFields), version,
          Optional.ofNullable(resolvedAt), Optional.ofNullable(closedAt), sla, createdAt, updatedAt);
    }
  }

  /** Most tickets have no custom fields: the empty map without a conversion. */
  private static Map<String, Object> customFields(JsonNode fields) {
    return fields == null || fields.isEmpty() ? Map.of() : Json.toMap(fields);
  }

  /** The numbering statement's row: whether the month's unit was taken, and the ticket if one went in. */
  static final class NumberedRow extends TicketRow {
    Long took;

    /** Whether the month's unit was taken (or had been, for a statement told not to count). */
    static boolean counted(NumberedRow row) {
      // MyBatis gives no row object for a row whose columns are all null: refused, nothing inserted.
      return row != null && row.took != null;
    }

    /** The ticket, if the statement inserted one. */
    static Optional<Ticket> ticket(NumberedRow row) {
      return row == null || row.id == null ? Optional.empty() : Optional.of(row.toTicket());
    }
  }

  /** A row of {@code ticket_comments}; attachments a JSON array of {url, filename, size}. */
  static final class CommentRow {
    UUID id;
    UUID ticketId;
    UUID userId;
    String body;
    boolean isInternal;
    JsonNode attachments;
    Instant createdAt;

    TicketComment toComment() {
      List<Attachment> files = new ArrayList<>();
      for (JsonNode file : attachments) {
        files.add(new Attachment(file.path("url").asText(), file.path("filename").asText(), file.path("size").asLong()));
      }
      return new TicketComment(id, ticketId, Optional.ofNullable(userId), body, isInternal, files, createdAt);
    }
  }

  /** How many tickets have one status and one assignee (or none). */
  static final class CountRow {
    TicketStatus status;
    UUID assignedTo;
    long count;
  }

  /** A priority's SLA targets in minutes; null, no target. */
  static final class SlaTargetRow {
    TicketPriority priority;
    Integer firstResponseMinutes;
    Integer resolutionMinutes;

    SlaTarget toTarget() {
      return new SlaTarget(TicketSlas.duration(firstResponseMinutes), TicketSlas.duration(resolutionMinutes));
    }
  }

  /** What opening a ticket needs of its organization; {@code priority} null when it has no targets row. */
  static final class OpenContextRow {
    String numberFormat;
    String timeZone;
    TicketPriority priority;
    Integer firstResponseMinutes;
    Integer resolutionMinutes;
    boolean ticketing;
  }
}
