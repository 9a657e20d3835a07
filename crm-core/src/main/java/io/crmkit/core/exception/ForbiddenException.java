package io.crmkit.core.exception;

import io.crmkit.core.Actor;

/** The actor is a member, but its role does not allow this operation (see ARCHITECTURE.md's role table). */
public final class ForbiddenException extends CrmException {
  private static final long serialVersionUID = 1L;
  private final String operation;

  /** Creates the exception for an operation such as {@code "users.invite"} and the actor that tried it. */
  public ForbiddenException(String operation, Actor actor) {
    super(actor + " may not " + operation);
    this.operation = operation;
  }

  /** The refused operation, e.g. {@code "users.invite"}. */
  public String operation() {
    return operation;
  }
}
