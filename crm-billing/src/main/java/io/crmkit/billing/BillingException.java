package io.crmkit.billing;

import io.crmkit.core.exception.CrmException;

/** Stripe refused a request or could not be reached; Stripe's own message is in the text. */
public final class BillingException extends CrmException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public BillingException(String message, Throwable cause) {
    super(message, cause);
  }
}
