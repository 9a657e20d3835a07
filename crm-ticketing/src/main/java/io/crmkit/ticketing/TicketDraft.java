package io.crmkit.ticketing;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A ticket to open: from scratch, for a customer, or from a WhatsApp conversation (which links the
 * conversation and its customer; it needs crm-ticketing-whatsapp).
 *
 * <pre>{@code
 * tickets.open(TicketDraft.builder("Order A-1042 arrived damaged").customer(customerId)
 *     .type(TicketType.SUPPORT).priority(TicketPriority.HIGH).tags(List.of("delivery")).build());
 * }</pre>
 *
 * @param title one line of 1 to 255 characters, stripped
 * @param description up to 20,000 characters, kept as written (tabs and line breaks allowed); blank is none
 * @param type what it is about
 * @param priority how urgent it is
 * @param customerId the customer it is about
 * @param conversationId the WhatsApp conversation it comes from; its customer is taken unless one is given
 * @param assignee an active member to work on it
 * @param tags tags, 1 to 64 characters each
 * @param customFields the organization's own fields
 * @param id the ticket's id, when the caller chooses it (see {@link Builder#id})
 */
public record TicketDraft(String title, Optional<String> description, TicketType type, TicketPriority priority,
    Optional<UUID> customerId, Optional<UUID> conversationId, Optional<UUID> assignee, List<String> tags,
    Map<String, Object> customFields, Optional<UUID> id) {
  /** Creates the draft; tags and custom fields are copied. */
  public TicketDraft {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(conversationId, "conversationId");
    Objects.requireNonNull(assignee, "assignee");
    Objects.requireNonNull(id, "id");
    tags = List.copyOf(tags);
    customFields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(customFields));
  }

  /** Starts a draft with its title; type support, priority medium. */
  public static Builder builder(String title) {
    return new Builder(title);
  }

  /** Builds a {@link TicketDraft}. */
  public static final class Builder {
    private final String title;
    private Optional<String> description = Optional.empty();
    private TicketType type = TicketType.SUPPORT;
    private TicketPriority priority = TicketPriority.MEDIUM;
    private Optional<UUID> customerId = Optional.empty();
    private Optional<UUID> conversationId = Optional.empty();
    private Optional<UUID> assignee = Optional.empty();
    private List<String> tags = List.of();
    private Map<String, Object> customFields = Map.of();
    private Optional<UUID> id = Optional.empty();

    private Builder(String title) {
      this.title = Objects.requireNonNull(title, "title");
    }

    /** The description. */
    public Builder description(String description) {
      this.description = Optional.of(description);
      return this;
    }

    /** What it is about. */
    public Builder type(TicketType type) {
      this.type = Objects.requireNonNull(type, "type");
      return this;
    }

    /** How urgent it is. */
    public Builder priority(TicketPriority priority) {
      this.priority = Objects.requireNonNull(priority, "priority");
      return this;
    }

    /** The customer it is about. */
    public Builder customer(UUID customerId) {
      this.customerId = Optional.of(customerId);
      return this;
    }

    /** The WhatsApp conversation it comes from. */
    public Builder conversation(UUID conversationId) {
      this.conversationId = Optional.of(conversationId);
      return this;
    }

    /** The member to work on it. */
    public Builder assignee(UUID userId) {
      this.assignee = Optional.of(userId);
      return this;
    }

    /** Its tags. */
    public Builder tags(List<String> tags) {
      this.tags = List.copyOf(tags);
      return this;
    }

    /** The organization's own fields. */
    public Builder customFields(Map<String, Object> customFields) {
      this.customFields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(customFields));
      return this;
    }

    /**
     * The ticket's id, chosen by the caller (else a random one). Opening an id that is already a
     * ticket's is a {@link io.crmkit.core.exception.ConflictException} that takes no number, so an open
     * whose outcome is unknown (the connection lost while it committed) can be sent again as it
     * was, and the ticket then found with {@link TicketService#get}.
     */
    public Builder id(UUID id) {
      this.id = Optional.of(id);
      return this;
    }

    /** The draft. */
    public TicketDraft build() {
      return new TicketDraft(title, description, type, priority, customerId, conversationId, assignee, tags,
          customFields, id);
    }
  }
}
