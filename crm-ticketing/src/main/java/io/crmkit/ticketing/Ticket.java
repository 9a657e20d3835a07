package io.crmkit.ticketing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A ticket.
 *
 * @param id its id
 * @param number its number in the organization's format, e.g. {@code TICKET-2026-0042}
 * @param customerId the customer it is about, if any
 * @param conversationId the WhatsApp conversation it came from, if any
 * @param title its title
 * @param description its description, if any
 * @param type what it is about
 * @param status where it is in the workflow
 * @param priority how urgent it is
 * @param assignedTo the member working on it, if any
 * @param createdBy the member who opened it; empty for a system actor
 * @param tags its tags, in the order they were added
 * @param customFields the organization's own fields (a JSON object), unmodifiable
 * @param version its version: give it back with a change, which is refused if someone changed the
 *     ticket meanwhile
 * @param resolvedAt when it was resolved, while resolved or closed
 * @param closedAt when it was closed, while closed
 * @param sla its SLA clocks
 * @param createdAt when it was opened
 * @param updatedAt when it last changed
 */
public record Ticket(UUID id, String number, Optional<UUID> customerId, Optional<UUID> conversationId, String title,
    Optional<String> description, TicketType type, TicketStatus status, TicketPriority priority,
    Optional<UUID> assignedTo, Optional<UUID> createdBy, List<String> tags, Map<String, Object> customFields,
    long version, Optional<Instant> resolvedAt, Optional<Instant> closedAt, TicketSla sla, Instant createdAt,
    Instant updatedAt) {
  /** Creates the ticket; tags and custom fields are copied. */
  public Ticket {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(number, "number");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(conversationId, "conversationId");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(assignedTo, "assignedTo");
    Objects.requireNonNull(createdBy, "createdBy");
    tags = List.copyOf(tags);
    customFields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(customFields));
    Objects.requireNonNull(resolvedAt, "resolvedAt");
    Objects.requireNonNull(closedAt, "closedAt");
    Objects.requireNonNull(sla, "sla");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
