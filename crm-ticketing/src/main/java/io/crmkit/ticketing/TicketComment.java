package io.crmkit.ticketing;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A comment on a ticket.
 *
 * @param id its id
 * @param ticketId its ticket
 * @param authorId the member who wrote it; empty for a system actor
 * @param body its text
 * @param internal true for an internal note, never shown as public
 * @param attachments files attached, by metadata
 * @param createdAt when it was written
 */
public record TicketComment(UUID id, UUID ticketId, Optional<UUID> authorId, String body, boolean internal,
    List<Attachment> attachments, Instant createdAt) {
  /** Creates the comment; the attachments are copied. */
  public TicketComment {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(ticketId, "ticketId");
    Objects.requireNonNull(authorId, "authorId");
    Objects.requireNonNull(body, "body");
    attachments = List.copyOf(attachments);
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
