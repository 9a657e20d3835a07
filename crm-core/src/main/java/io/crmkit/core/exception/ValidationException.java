package io.crmkit.core.exception;

import java.util.Objects;

/** An input was rejected before anything changed; {@link #field()} names it and {@link #reason()} says why. */
public final class ValidationException extends CrmException {
  private static final long serialVersionUID = 1L;
  private final String field;
  private final String reason;

  /** Creates the exception for a field (as named in the API, e.g. {@code "timeZone"}) and a reason. */
  public ValidationException(String field, String reason) {
    super(Objects.requireNonNull(field, "field") + ": " + Objects.requireNonNull(reason, "reason"));
    this.field = field;
    this.reason = reason;
  }

  /**
   * Creates the exception for a field and a reason, keeping the failure that revealed it (a
   * database error, say) as the cause: for logs, never for the message.
   */
  public ValidationException(String field, String reason, Throwable cause) {
    super(Objects.requireNonNull(field, "field") + ": " + Objects.requireNonNull(reason, "reason"), cause);
    this.field = field;
    this.reason = reason;
  }

  /** The rejected field, as named in the API. */
  public String field() {
    return field;
  }

  /** Why it was rejected. */
  public String reason() {
    return reason;
  }
}
