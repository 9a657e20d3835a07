package io.crmkit.core.exception;

/**
 * The connection failed while the transaction was committing, so whether it committed is not
 * known: the server may have committed before it noticed the client was gone. Unlike a
 * {@link RetryableException}, doing the call again blindly may do it twice; check first (a record
 * created with an id of the caller's choosing can be looked up by it).
 */
public final class CommitOutcomeUnknownException extends CrmException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with the connection failure as its cause. */
  public CommitOutcomeUnknownException(String message, Throwable cause) {
    super(message, cause);
  }
}
