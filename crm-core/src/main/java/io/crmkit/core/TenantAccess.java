package io.crmkit.core;

import io.crmkit.core.exception.NotMemberException;
import java.util.UUID;

/**
 * The door to one organization, from {@link Crm#tenant(UUID)}; say who acts to get a
 * {@link TenantScope}.
 */
public interface TenantAccess {

  /**
   * A scope acting as a member. Whether the user is an active member of this organization is
   * checked in each transaction; if not, calls fail with {@link NotMemberException}.
   */
  TenantScope as(UUID userId);

  /**
   * A scope acting as a named machine (a webhook, an import job). System actors read, and do the
   * work their module grants them; they cannot manage users or settings.
   */
  TenantScope asSystem(String name);
}
