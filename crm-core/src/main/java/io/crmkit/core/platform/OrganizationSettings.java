package io.crmkit.core.platform;

import io.crmkit.core.exception.ForbiddenException;
import io.crmkit.core.exception.ValidationException;

/** The scope's own organization record. */
public interface OrganizationSettings {

  /** The organization as it is now. */
  Organization get();

  /**
   * Changes the fields set in {@code update} (admins only).
   *
   * @throws ValidationException for a bad value, naming the field
   * @throws ForbiddenException if the actor is not an admin
   */
  Organization update(OrganizationUpdate update);
}
