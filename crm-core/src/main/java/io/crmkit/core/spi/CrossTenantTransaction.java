package io.crmkit.core.spi;

import java.sql.Connection;

/**
 * A transaction of the runtime role with no tenant set, given by {@link TenantWork#crossTenant}:
 * row-level security shows it no rows, so it can only call the owner-defined cross-tenant functions.
 */
public interface CrossTenantTransaction {

  /** The transaction's connection; do not commit, roll back or close it. */
  Connection connection();

  /** {@code name} qualified with CRMKit's schema and quoted for SQL text, e.g. {@code "crm"."claim_events"}. */
  String table(String name);
}
