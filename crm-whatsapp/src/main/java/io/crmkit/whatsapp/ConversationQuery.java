package io.crmkit.whatsapp;

import io.crmkit.core.exception.ValidationException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Which conversations an inbox list shows; all of them unless narrowed.
 *
 * <pre>{@code
 * inbox.conversations(ConversationQuery.builder().unassigned().unreadOnly().build(), 50, Optional.empty());
 * }</pre>
 *
 * @param assignedTo only those assigned to this member
 * @param unassigned only those assigned to nobody
 * @param unreadOnly only those with unread messages
 * @param tag only those with this tag
 * @param profileId only those on this business number
 * @param customerId only those of this customer
 */
public record ConversationQuery(Optional<UUID> assignedTo, boolean unassigned, boolean unreadOnly, Optional<String> tag,
    Optional<UUID> profileId, Optional<UUID> customerId) {

  /**
   * Creates the query.
   *
   * @throws ValidationException if it asks for unassigned conversations assigned to someone
   */
  public ConversationQuery {
    Objects.requireNonNull(assignedTo, "assignedTo");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(profileId, "profileId");
    Objects.requireNonNull(customerId, "customerId");
    if (unassigned && assignedTo.isPresent()) {
      throw new ValidationException("unassigned", "cannot be combined with assignedTo");
    }
  }

  /** All conversations. */
  public static ConversationQuery all() {
    return builder().build();
  }

  /** Starts a query for all conversations. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ConversationQuery}. */
  public static final class Builder {
    private UUID assignedTo;
    private boolean unassigned;
    private boolean unreadOnly;
    private String tag;
    private UUID profileId;
    private UUID customerId;

    private Builder() {}

    /** Only those assigned to this member. */
    public Builder assignedTo(UUID userId) {
      this.assignedTo = Objects.requireNonNull(userId, "userId");
      return this;
    }

    /** Only those assigned to nobody. */
    public Builder unassigned() {
      this.unassigned = true;
      return this;
    }

    /** Only those with unread messages. */
    public Builder unreadOnly() {
      this.unreadOnly = true;
      return this;
    }

    /** Only those with this tag. */
    public Builder tag(String tag) {
      this.tag = Objects.requireNonNull(tag, "tag");
      return this;
    }

    /** Only those on this business number. */
    public Builder profile(UUID profileId) {
      this.profileId = Objects.requireNonNull(profileId, "profileId");
      return this;
    }

    /** Only those of this customer. */
    public Builder customer(UUID customerId) {
      this.customerId = Objects.requireNonNull(customerId, "customerId");
      return this;
    }

    /** The query. */
    public ConversationQuery build() {
      return new ConversationQuery(Optional.ofNullable(assignedTo), unassigned, unreadOnly, Optional.ofNullable(tag),
          Optional.ofNullable(profileId), Optional.ofNullable(customerId));
    }
  }
}
