package io.crmkit.core.spi;

/**
 * A transaction of the runtime role with no tenant set, given by {@link TenantWork#crossTenant}:
 * row-level security shows it no rows, so it can only call the owner-defined cross-tenant functions,
 * through the module's mappers.
 */
public interface CrossTenantTransaction extends ModuleTransaction {
}
