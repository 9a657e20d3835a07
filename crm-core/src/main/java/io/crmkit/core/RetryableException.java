package io.crmkit.core;

/**
 * The call failed for a transient reason (a serialization failure or deadlock between concurrent
 * transactions, a lost connection) and changed nothing; running the whole call or transaction
 * again may succeed.
 */
public final class RetryableException extends CrmException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with the database error as its cause. */
  public RetryableException(String message, Throwable cause) {
    super(message, cause);
  }
}
