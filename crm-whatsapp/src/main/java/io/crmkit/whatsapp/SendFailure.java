package io.crmkit.whatsapp;

import java.util.Objects;

/**
 * Why a send failed, in CRMKit's words, with the provider's own code and message.
 *
 * @param kind what kind of failure it is
 * @param providerCode the provider's error code (the Cloud API's {@code error.code}), 0 if none
 * @param message the provider's message or a description of the failure
 */
public record SendFailure(Kind kind, int providerCode, String message) {

  /** Creates the failure. */
  public SendFailure {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
  }

  /** True if sending the same message again later, with backoff, may succeed. */
  public boolean retryable() {
    return kind.retryable;
  }

  /** Kinds of failure. */
  public enum Kind {
    /** Too many messages from this business number (Cloud API 130429 and the like); retry with backoff. */
    RATE_LIMITED(true),
    /** Too many messages to this one user in a short time (131056); retry with backoff. */
    PAIR_RATE_LIMITED(true),
    /** The user wrote more than 24 hours ago; only a template can be sent (131047). */
    OUTSIDE_CUSTOMER_WINDOW(false),
    /** WhatsApp could not deliver to this user, e.g. not on WhatsApp (131026). */
    UNDELIVERABLE(false),
    /** The user stopped marketing messages from this business (131050). */
    MARKETING_OPT_OUT(false),
    /** The access token is invalid, expired or lacks permission; the profile needs reconnecting. */
    AUTHENTICATION(false),
    /** WhatsApp refused the request for another reason (a bad parameter, an unknown template, …). */
    REJECTED(false),
    /**
     * WhatsApp (or a proxy before it) answered with a server error (an HTTP 5xx, Meta's 131000
     * "something went wrong", an error page): whether the message was taken is not known, so it
     * is not retried, and CRMKit records it as unknown, not failed.
     */
    PROVIDER_ERROR(false),
    /** No connection could be made, so nothing was sent; retry with backoff. */
    CONNECTION_FAILED(true),
    /**
     * CRMKit could not hand the message to WhatsApp (the profile's session could not be read or
     * decrypted, say under a key this process lacks); nothing was sent.
     */
    NOT_HANDED_OVER(false);

    private final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }
  }
}
