package io.crmkit.whatsapp;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One message of a conversation.
 *
 * @param id its id
 * @param conversationId its conversation
 * @param inbound true if the user sent it, false if the business did
 * @param waMessageId WhatsApp's id ({@code wamid.…}); empty for an outbound message not yet accepted
 * @param type text, image, template, …
 * @param body its text or caption, if any
 * @param status {@code received} for inbound; for outbound {@code pending} (committed, not yet
 *     handed over), {@code sending}, {@code sent}, {@code delivered}, {@code read}, {@code failed},
 *     or {@code unknown} (it may have gone out: a timeout, or a process that stopped while sending)
 * @param errorCode the provider's error code of a failed message
 * @param errorMessage the provider's description of the failure
 * @param createdAt when it was stored
 */
public record WhatsAppMessage(
    UUID id,
    UUID conversationId,
    boolean inbound,
    Optional<String> waMessageId,
    String type,
    Optional<String> body,
    String status,
    Optional<Integer> errorCode,
    Optional<String> errorMessage,
    Instant createdAt) {

  /** Creates the record. */
  public WhatsAppMessage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(conversationId, "conversationId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
