package io.crmkit.ticketing;

import java.util.List;
import java.util.Objects;

/**
 * A comment to add: a public reply (the customer may see it) or an internal note (never shown as
 * public anywhere).
 *
 * <pre>{@code
 * tickets.comment(id, CommentDraft.publicReply("The courier comes tomorrow").sentToCustomer());
 * tickets.comment(id, CommentDraft.internalNote("Courier confirmed by phone"));
 * }</pre>
 *
 * @param body the text, 1 to 20,000 characters, kept as written (tabs and line breaks allowed)
 * @param internal true for an internal note
 * @param attachments files attached, by metadata
 * @param sendToCustomer for a public reply on a ticket linked to a WhatsApp conversation: also send
 *     it there, through the {@link io.crmkit.ticketing.spi.TicketReplyChannel} a bridge module offers
 */
public record CommentDraft(String body, boolean internal, List<Attachment> attachments, boolean sendToCustomer) {
  /** Creates the draft; the attachments are copied. */
  public CommentDraft {
    Objects.requireNonNull(body, "body");
    attachments = List.copyOf(attachments);
    if (internal && sendToCustomer) {
      throw new IllegalArgumentException("an internal note is never sent to the customer");
    }
  }

  /** A public reply. */
  public static CommentDraft publicReply(String body) {
    return new CommentDraft(body, false, List.of(), false);
  }

  /** An internal note. */
  public static CommentDraft internalNote(String body) {
    return new CommentDraft(body, true, List.of(), false);
  }

  /** This draft with these attachments. */
  public CommentDraft withAttachments(List<Attachment> files) {
    return new CommentDraft(body, internal, files, sendToCustomer);
  }

  /** This public reply, also sent to the customer in the ticket's WhatsApp conversation. */
  public CommentDraft sentToCustomer() {
    return new CommentDraft(body, internal, attachments, true);
  }
}
