package io.crmkit.whatsapp;

import java.util.Objects;

/** What became of a send: accepted with the provider's message id, failed, or unknown. */
public sealed interface SendResult permits SendResult.Accepted, SendResult.Failed, SendResult.Unknown {

  /**
   * WhatsApp accepted the message; its delivery arrives later as status callbacks.
   *
   * @param providerMessageId WhatsApp's id for it ({@code wamid.…}), which status callbacks name
   */
  record Accepted(String providerMessageId) implements SendResult {
    /** Creates the result. */
    public Accepted {
      Objects.requireNonNull(providerMessageId, "providerMessageId");
    }
  }

  /**
   * WhatsApp refused the message, or it could not be sent at all; nothing was delivered.
   *
   * @param failure why, and whether sending again later may succeed
   */
  record Failed(SendFailure failure) implements SendResult {
    /** Creates the result. */
    public Failed {
      Objects.requireNonNull(failure, "failure");
    }
  }

  /**
   * The request may or may not have reached WhatsApp (it timed out after being sent). Never send
   * it again blindly: a status callback for it, or none, settles what happened.
   *
   * @param reason what went wrong
   */
  record Unknown(String reason) implements SendResult {
    /** Creates the result. */
    public Unknown {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
