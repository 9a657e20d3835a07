package io.crmkit.core.exception;

/**
 * Tenant work was attempted without a usable tenant context: on an autocommit connection, on a
 * connection of the wrong role, or otherwise outside a tenant transaction. Nothing reached SQL.
 */
public final class TenantContextException extends CrmException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that says what was missing. */
  public TenantContextException(String message) {
    super(message);
  }

  /** Creates the exception for a refusal the database made, keeping its error as the cause (for logs). */
  public TenantContextException(String message, Throwable cause) {
    super(message, cause);
  }
}
