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
   * @throws ValidationException for a bad value, naming the field (the settings follow the rule of
   *     custom fields: keys of 1 to 64 characters, text by the characters rule, finite numbers, at
   *     most 64,000 characters as JSON)
   * @throws ForbiddenException if the actor is not an admin
   */
  Organization update(OrganizationUpdate update);
}
