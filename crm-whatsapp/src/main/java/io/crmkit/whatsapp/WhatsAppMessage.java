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
 *     handed over), {@code sending}, {@code sent}, {@code delivered}, {@code read}, {@code failed}
 *     (WhatsApp refused it, or it was never handed over), or {@code unknown}: not known whether
 *     WhatsApp took it (no answer in time, a server error such as an HTTP 5xx or Meta's 131000, a
 *     proxy's error page, or a process that stopped while sending). An unknown message is never
 *     sent again by CRMKit; WhatsApp's status for it, when one comes, settles it to {@code sent},
 *     {@code delivered}, {@code read} or {@code failed}
 * @param errorCode the provider's error code of a failed message, or of the server error that
 *     left it unknown
 * @param errorMessage the provider's description of the failure, or why it is unknown (cleared
 *     once WhatsApp reports it taken)
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
