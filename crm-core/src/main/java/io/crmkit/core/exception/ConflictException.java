package io.crmkit.core.exception;

import java.util.Optional;
import java.util.UUID;

/** The request would duplicate or contradict an existing record; {@link #existingId()} names it when known. */
public final class ConflictException extends CrmException {
  private static final long serialVersionUID = 1L;
  private final UUID existingId;

  /** Creates the exception naming the existing record. */
  public ConflictException(String message, UUID existingId) {
    super(message);
    this.existingId = existingId;
  }

  /** Creates the exception when the conflicting record is not known (or may not be revealed). */
  public ConflictException(String message) {
    this(message, (UUID) null);
  }

  /** Creates the exception for a conflict the database found, keeping its error as the cause (for logs). */
  public ConflictException(String message, Throwable cause) {
    super(message, cause);
    this.existingId = null;
  }

  /** The id of the record this request conflicts with, if known. */
  public Optional<UUID> existingId() {
    return Optional.ofNullable(existingId);
  }
}
