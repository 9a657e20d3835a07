package io.crmkit.core.spi;

import java.time.Instant;

/**
 * A transaction of the runtime role with no tenant set, given by {@link TenantWork#crossTenant}:
 * row-level security shows it no rows, so it can only call the owner-defined cross-tenant functions,
 * through the module's mappers.
 */
public interface CrossTenantTransaction extends ModuleTransaction {

  /** The Crm's clock when the transaction began, as {@link TenantTransaction#now()} is. */
  Instant now();
}
