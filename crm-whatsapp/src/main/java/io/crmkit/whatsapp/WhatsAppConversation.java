package io.crmkit.whatsapp;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One conversation of the inbox: a profile and a WhatsApp user.
 *
 * @param id its id
 * @param profileId the business number it is on
 * @param contactPhone the user's phone in E.164, unless they use only a username
 * @param contactBsuid the user's business-scoped id, if Meta sent one
 * @param contactName the name the user shows on WhatsApp, if any
 * @param customerId the customer it is linked to (none at {@code max_customers})
 * @param assignedTo the member it is assigned to, if any
 * @param tags its tags
 * @param notes its internal notes, never sent to the user
 * @param unreadCount inbound messages since it was last marked read
 * @param lastMessagePreview the latest message, shortened
 * @param lastMessageAt when the latest message was sent
 * @param lastInboundAt when the user last wrote: free-form replies are possible for 24 hours after
 * @param activityAt the inbox's order: the latest message, else when it was created
 */
public record WhatsAppConversation(
    UUID id,
    UUID profileId,
    Optional<String> contactPhone,
    Optional<String> contactBsuid,
    Optional<String> contactName,
    Optional<UUID> customerId,
    Optional<UUID> assignedTo,
    List<String> tags,
    Optional<String> notes,
    int unreadCount,
    Optional<String> lastMessagePreview,
    Optional<Instant> lastMessageAt,
    Optional<Instant> lastInboundAt,
    Instant activityAt) {

  /** Creates the record; the tags are copied. */
  public WhatsAppConversation {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(profileId, "profileId");
    tags = List.copyOf(tags);
    Objects.requireNonNull(activityAt, "activityAt");
  }
}
