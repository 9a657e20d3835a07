package io.crmkit.core.exception;

/** The record does not exist in the current tenant (records of other tenants never exist here). */
public final class NotFoundException extends CrmException {
  private static final long serialVersionUID = 1L;
  private final String entity;
  private final String id;

  /** Creates the exception for an entity kind such as {@code "user"} and the id that was asked for. */
  public NotFoundException(String entity, Object id) {
    super(entity + " " + id + " not found");
    this.entity = entity;
    this.id = String.valueOf(id);
  }

  /** The id that was asked for, as text (a secret such as a token shows as {@code <token>}). */
  public String id() {
    return id;
  }

  /** The kind of record that was not found, e.g. {@code "user"} or {@code "invitation"}. */
  public String entity() {
    return entity;
  }
}
