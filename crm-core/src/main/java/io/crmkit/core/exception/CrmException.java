package io.crmkit.core.exception;

/**
 * The root of every exception CRMKit throws for a request it cannot carry out.
 *
 * <p>Unchecked, like stripe-java's {@code StripeException}: catch the subclass you can act on
 * ({@link NotFoundException}, {@link ValidationException}, {@link ConflictException},
 * {@link LimitExceededException}, {@link ForbiddenException}, {@link NotMemberException},
 * {@link TenantContextException}, {@link RetryableException}) and let the rest propagate. A
 * request that fails with one of these has changed nothing, except
 * {@link CommitOutcomeUnknownException}, which says it may have. A database error CRMKit did not
 * expect is a {@link ServerFaultException}. No message quotes SQL, its parameters or the
 * database's own text; those stay in the cause, for logs.
 */
public class CrmException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message. */
  public CrmException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the cause, typically a database error. */
  public CrmException(String message, Throwable cause) {
    super(message, cause);
  }
}
