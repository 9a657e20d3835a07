package io.crmkit.ticketing;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Which tickets a list shows; filters combine (all must hold). Newest first.
 *
 * <pre>{@code
 * tickets.list(TicketQuery.builder().statuses(Set.of(TicketStatus.OPEN, TicketStatus.IN_PROGRESS))
 *     .assignee(agentId).text("damaged").build(), 50, Optional.empty());
 * }</pre>
 *
 * @param statuses any of these statuses; empty for any
 * @param priorities any of these priorities; empty for any
 * @param types any of these types; empty for any
 * @param assignee assigned to this member
 * @param unassigned assigned to nobody
 * @param customerId about this customer
 * @param tag carrying this tag
 * @param text this text in the title (case and Arabic letter forms folded, as in customer search)
 */
public record TicketQuery(Set<TicketStatus> statuses, Set<TicketPriority> priorities, Set<TicketType> types,
    Optional<UUID> assignee, boolean unassigned, Optional<UUID> customerId, Optional<String> tag,
    Optional<String> text) {
  /** Creates the query; the sets are copied. */
  public TicketQuery {
    statuses = Set.copyOf(statuses);
    priorities = Set.copyOf(priorities);
    types = Set.copyOf(types);
    Objects.requireNonNull(assignee, "assignee");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(text, "text");
    if (unassigned && assignee.isPresent()) {
      throw new IllegalArgumentException("a ticket cannot be both unassigned and assigned to " + assignee.get());
    }
  }

  /** Every ticket. */
  public static TicketQuery all() {
    return builder().build();
  }

  /** Starts a query without filters. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link TicketQuery}. */
  public static final class Builder {
    private Set<TicketStatus> statuses = Set.of();
    private Set<TicketPriority> priorities = Set.of();
    private Set<TicketType> types = Set.of();
    private Optional<UUID> assignee = Optional.empty();
    private boolean unassigned;
    private Optional<UUID> customerId = Optional.empty();
    private Optional<String> tag = Optional.empty();
    private Optional<String> text = Optional.empty();

    private Builder() {}

    /** Any of these statuses. */
    public Builder statuses(Set<TicketStatus> statuses) {
      this.statuses = Set.copyOf(statuses);
      return this;
    }

    /** Any of these priorities. */
    public Builder priorities(Set<TicketPriority> priorities) {
      this.priorities = Set.copyOf(priorities);
      return this;
    }

    /** Any of these types. */
    public Builder types(Set<TicketType> types) {
      this.types = Set.copyOf(types);
      return this;
    }

    /** Assigned to this member. */
    public Builder assignee(UUID userId) {
      this.assignee = Optional.of(userId);
      return this;
    }

    /** Assigned to nobody. */
    public Builder unassigned() {
      this.unassigned = true;
      return this;
    }

    /** About this customer. */
    public Builder customer(UUID customerId) {
      this.customerId = Optional.of(customerId);
      return this;
    }

    /** Carrying this tag. */
    public Builder tag(String tag) {
      this.tag = Optional.of(tag);
      return this;
    }

    /** With this text in the title. */
    public Builder text(String text) {
      this.text = Optional.of(text);
      return this;
    }

    /** The query. */
    public TicketQuery build() {
      return new TicketQuery(statuses, priorities, types, assignee, unassigned, customerId, tag, text);
    }
  }
}
