package io.crmkit.core.exception;

import java.util.Optional;

/**
 * The database failed in a way CRMKit did not expect: a defect, a broken deployment (a missing
 * grant, a migration not run) or a server in trouble, not bad input and not a race a retry
 * settles. The message names only the SQLSTATE; the database's own error, which may quote the
 * statement and its values, stays in the cause, for logs.
 */
public final class ServerFaultException extends CrmException {
  private static final long serialVersionUID = 1L;
  private final String sqlState;

  /** Creates the exception for the SQLSTATE (or {@code null} when the fault had none) and its cause. */
  public ServerFaultException(String message, String sqlState, Throwable cause) {
    super(message, cause);
    this.sqlState = sqlState;
  }

  /** The SQLSTATE of the database error, when the fault came with one (e.g. {@code "XX000"}). */
  public Optional<String> sqlState() {
    return Optional.ofNullable(sqlState);
  }
}
