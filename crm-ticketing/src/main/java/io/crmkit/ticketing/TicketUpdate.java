package io.crmkit.ticketing;

import io.crmkit.core.Change;
import io.crmkit.core.spi.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A partial change of a ticket: only the fields set or cleared change, in the one shape of
 * partial updates ({@link Change}).
 *
 * <pre>{@code
 * tickets.update(id, ticket.version(), TicketUpdate.builder().priority(TicketPriority.URGENT).assignee(agentId).build());
 * tickets.update(id, ticket.version(), TicketUpdate.builder().clearDescription().clearAssignee().build());
 * }</pre>
 *
 * <p>The status has its own operations ({@link TicketService#changeStatus}); a change of priority
 * recomputes the SLA due times. A value set is checked as when a ticket is opened.
 *
 * @param title a new title (a ticket always has one: cannot be cleared)
 * @param description a new description, or none
 * @param type a new type (cannot be cleared)
 * @param priority a new priority (cannot be cleared)
 * @param assignee a new assignee, or nobody
 * @param tags the new tags, replacing the old; cleared, none
 * @param customFields the new custom fields, replacing the old; cleared, none
 */
public record TicketUpdate(Change<String> title, Change<String> description, Change<TicketType> type,
    Change<TicketPriority> priority, Change<UUID> assignee, Change<List<String>> tags,
    Change<Map<String, Object>> customFields) {

  /**
   * Creates the update; tags and custom fields set are copied.
   *
   * @throws IllegalArgumentException for a field cleared that a ticket always has (title, type, priority)
   */
  public TicketUpdate {
    required("title", title);
    Objects.requireNonNull(description, "description");
    required("type", type);
    required("priority", priority);
    Objects.requireNonNull(assignee, "assignee");
    // A null tag travels on to the service, which refuses it on tags as it refuses a blank one.
    tags = Objects.requireNonNull(tags, "tags").map(t -> Collections.unmodifiableList(new ArrayList<>(t)));
    customFields = Objects.requireNonNull(customFields, "customFields")
        .map(m -> Json.deepCopy(m, "customFields"));
  }

  private static void required(String field, Change<?> change) {
    if (Objects.requireNonNull(change, field) instanceof Change.Clear) {
      throw new IllegalArgumentException(field + " cannot be cleared: a ticket always has one");
    }
  }

  /** True if no field is set or cleared. */
  public boolean isEmpty() {
    return !title.changes() && !description.changes() && !type.changes() && !priority.changes()
        && !assignee.changes() && !tags.changes() && !customFields.changes();
  }

  /** Starts an update that changes nothing. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link TicketUpdate}; what it is not told is kept. */
  public static final class Builder {
    private Change<String> title = Change.keep();
    private Change<String> description = Change.keep();
    private Change<TicketType> type = Change.keep();
    private Change<TicketPriority> priority = Change.keep();
    private Change<UUID> assignee = Change.keep();
    private Change<List<String>> tags = Change.keep();
    private Change<Map<String, Object>> customFields = Change.keep();

    private Builder() {}

    /** Sets the title. */
    public Builder title(String title) {
      this.title = Change.to(Objects.requireNonNull(title, "title"));
      return this;
    }

    /** Sets the description (a blank one clears it). */
    public Builder description(String description) {
      this.description = Change.to(Objects.requireNonNull(description, "description"));
      return this;
    }

    /** Removes the description. */
    public Builder clearDescription() {
      this.description = Change.clear();
      return this;
    }

    /** Sets the type. */
    public Builder type(TicketType type) {
      this.type = Change.to(Objects.requireNonNull(type, "type"));
      return this;
    }

    /** Sets the priority (the SLA due times follow). */
    public Builder priority(TicketPriority priority) {
      this.priority = Change.to(Objects.requireNonNull(priority, "priority"));
      return this;
    }

    /** Assigns the ticket to an active member. */
    public Builder assignee(UUID userId) {
      this.assignee = Change.to(Objects.requireNonNull(userId, "userId"));
      return this;
    }

    /** Leaves the ticket unassigned. */
    public Builder clearAssignee() {
      this.assignee = Change.clear();
      return this;
    }

    /** Replaces the tags. */
    public Builder tags(List<String> tags) {
      this.tags = Change.to(Objects.requireNonNull(tags, "tags"));
      return this;
    }

    /** Removes every tag. */
    public Builder clearTags() {
      this.tags = Change.clear();
      return this;
    }

    /**
     * Replaces the custom fields, copied deeply.
     *
     * @throws NullPointerException naming the path of a null key or value
     */
    public Builder customFields(Map<String, Object> customFields) {
      this.customFields = Change.to(Json.deepCopy(Objects.requireNonNull(customFields, "customFields"),
          "customFields"));
      return this;
    }

    /** Removes every custom field. */
    public Builder clearCustomFields() {
      this.customFields = Change.clear();
      return this;
    }

    /** The update. */
    public TicketUpdate build() {
      return new TicketUpdate(title, description, type, priority, assignee, tags, customFields);
    }
  }
}
