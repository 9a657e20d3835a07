package io.crmkit.core.exception;

/**
 * The call failed for a transient reason (a serialization failure or deadlock between concurrent
 * transactions, a connection lost before the COMMIT was sent) and changed nothing; running the
 * whole call or transaction again may succeed. A connection lost while committing is a plain
 * {@link CommitOutcomeUnknownException} instead: the server may have committed.
 */
public final class RetryableException extends CrmException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with the database error as its cause. */
  public RetryableException(String message, Throwable cause) {
    super(message, cause);
  }
}
