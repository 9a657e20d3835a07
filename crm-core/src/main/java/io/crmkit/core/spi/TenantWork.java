package io.crmkit.core.spi;

import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.core.internal.SqlTenantWork;
import io.crmkit.core.users.Role;
import java.sql.SQLException;

/**
 * How a module's service runs in a tenant's transaction the way crm-core's own services do: the
 * tenant set first, the actor checked, joined to any transaction the host holds (in
 * {@link TenantScope#inTransaction} or a {@link TenantScope#joining} scope), and database errors
 * translated into the {@link io.crmkit.core.exception.CrmException} tree (a unique violation into a
 * {@link io.crmkit.core.exception.ConflictException}, a lost serialization into a
 * {@link io.crmkit.core.exception.RetryableException}, …).
 *
 * <pre>{@code
 * public WhatsAppProfile rename(UUID id, String name) {
 *   return TenantWork.call(scope, tx -> {
 *     tx.requireRole("whatsapp.profiles.rename", Role.ADMIN);
 *     ProfileRow row = tx.mapper(ProfileMapper.class).rename(tx.organizationId(), id, name);  // ProfileMapper.xml
 *     return row.toProfile();
 *   });
 * }
 * }</pre>
 */
public final class TenantWork {
  private TenantWork() {}

  /** Work in a tenant transaction. */
  @FunctionalInterface
  public interface Work<R> {
    /** Does the work. */
    R run(TenantTransaction tx) throws SQLException;
  }

  /** Work in a transaction that has no tenant. */
  @FunctionalInterface
  public interface CrossTenantWork<R> {
    /** Does the work. */
    R run(CrossTenantTransaction tx) throws SQLException;
  }

  /**
   * Runs {@code work} in a transaction of the runtime role with no tenant set: row-level security
   * shows it no rows and refuses its inserts, so it can only call the owner-defined cross-tenant
   * functions (a webhook's routing, a drain's claim). Each such function is named in
   * ARCHITECTURE.md and has an attack test.
   *
   * @throws io.crmkit.core.exception.TenantContextException inside another CRMKit transaction on this thread
   */
  public static <R> R crossTenant(io.crmkit.core.Crm crm, CrossTenantWork<R> work) {
    return SqlTenantWork.crossTenant(crm, work);
  }

  /**
   * Runs {@code work} in {@code scope}'s transaction: a new one that commits when it returns, or
   * the one the scope is bound to or joined.
   *
   * @throws IllegalArgumentException if {@code scope} did not come from a {@code Crm}
   */
  public static <R> R call(TenantScope scope, Work<R> work) {
    return SqlTenantWork.call(scope, work);
  }
}
