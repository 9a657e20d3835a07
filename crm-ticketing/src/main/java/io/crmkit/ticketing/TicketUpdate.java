package io.crmkit.ticketing;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A partial change of a ticket: only what the builder set changes.
 *
 * <pre>{@code
 * tickets.update(id, ticket.version(), TicketUpdate.builder().priority(TicketPriority.URGENT).assignee(agentId).build());
 * }</pre>
 *
 * <p>The status has its own operations ({@link TicketService#changeStatus}); a change of priority
 * recomputes the SLA due times.
 *
 * @param title a new title
 * @param description a new description, or (inner empty) none
 * @param type a new type
 * @param priority a new priority
 * @param assignee a new assignee, or (inner empty) nobody
 * @param tags the new tags, replacing the old
 * @param customFields the new custom fields, replacing the old
 */
public record TicketUpdate(Optional<String> title, Optional<Optional<String>> description, Optional<TicketType> type,
    Optional<TicketPriority> priority, Optional<Optional<UUID>> assignee, Optional<List<String>> tags,
    Optional<Map<String, Object>> customFields) {
  /** Creates the update. */
  public TicketUpdate {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(assignee, "assignee");
    tags = Objects.requireNonNull(tags, "tags").map(List::copyOf);
    customFields = Objects.requireNonNull(customFields, "customFields")
        .map(m -> java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(m)));
  }

  /** True if nothing would change. */
  public boolean isEmpty() {
    return title.isEmpty() && description.isEmpty() && type.isEmpty() && priority.isEmpty() && assignee.isEmpty()
        && tags.isEmpty() && customFields.isEmpty();
  }

  /** Starts an update that changes nothing. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link TicketUpdate}. */
  public static final class Builder {
    private Optional<String> title = Optional.empty();
    private Optional<Optional<String>> description = Optional.empty();
    private Optional<TicketType> type = Optional.empty();
    private Optional<TicketPriority> priority = Optional.empty();
    private Optional<Optional<UUID>> assignee = Optional.empty();
    private Optional<List<String>> tags = Optional.empty();
    private Optional<Map<String, Object>> customFields = Optional.empty();

    private Builder() {}

    /** Sets the title. */
    public Builder title(String title) {
      this.title = Optional.of(title);
      return this;
    }

    /** Sets the description. */
    public Builder description(String description) {
      this.description = Optional.of(Optional.of(description));
      return this;
    }

    /** Clears the description. */
    public Builder clearDescription() {
      this.description = Optional.of(Optional.empty());
      return this;
    }

    /** Sets the type. */
    public Builder type(TicketType type) {
      this.type = Optional.of(type);
      return this;
    }

    /** Sets the priority (the SLA due times follow). */
    public Builder priority(TicketPriority priority) {
      this.priority = Optional.of(priority);
      return this;
    }

    /** Assigns the ticket to an active member. */
    public Builder assignee(UUID userId) {
      this.assignee = Optional.of(Optional.of(userId));
      return this;
    }

    /** Leaves the ticket unassigned. */
    public Builder unassign() {
      this.assignee = Optional.of(Optional.empty());
      return this;
    }

    /** Replaces the tags. */
    public Builder tags(List<String> tags) {
      this.tags = Optional.of(tags);
      return this;
    }

    /** Replaces the custom fields. */
    public Builder customFields(Map<String, Object> customFields) {
      this.customFields = Optional.of(customFields);
      return this;
    }

    /** The update. */
    public TicketUpdate build() {
      return new TicketUpdate(title, description, type, priority, assignee, tags, customFields);
    }
  }
}
