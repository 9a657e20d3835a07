package io.crmkit.core;

import io.crmkit.core.customers.CustomerService;
import io.crmkit.core.exception.NotMemberException;
import io.crmkit.core.exception.TenantContextException;
import io.crmkit.core.pipeline.Pipeline;
import io.crmkit.core.platform.Entitlements;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.platform.OrganizationSettings;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import io.crmkit.core.users.UserService;
import java.sql.Connection;
import java.util.UUID;

/**
 * The only way into a tenant's data: one organization and one actor. Obtained with
 * {@code crm.tenant(orgId).as(userId)} or {@code crm.tenant(orgId).asSystem("webhook")}.
 *
 * <pre>{@code
 * TenantScope acme = crm.tenant(acmeId).as(saraId);
 * List<User> team = acme.users().list();                  // one call, one transaction
 * acme.inTransaction(tx -> {                              // several calls, one transaction
 *   tx.users().invite("omar@acme.example", Role.AGENT);
 *   return tx.entitlements().limit(Limit.USERS);
 * });
 * }</pre>
 *
 * <p>Every transaction starts by setting the tenant with a transaction-local
 * {@code set_config('app.current_organization_id', …, true)} and, for a member, checking that the
 * user is still active ({@link NotMemberException} otherwise). Row-level security in PostgreSQL then
 * confines every statement to this organization. No method of a scope takes an organization id.
 *
 * <p>Scopes are immutable, cheap and thread-safe; a scope returned by {@link #joining} is bound to
 * the host's connection and is as thread-safe as that connection.
 */
public interface TenantScope {

  /** The organization this scope acts in. */
  UUID organizationId();

  /** Who acts. */
  Actor actor();

  /** The organization's members and invitations. */
  UserService users();

  /** The organization's own record and settings. */
  OrganizationSettings organization();

  /** The organization's customers and their timelines. */
  CustomerService customers();

  /** The organization's sales pipeline. */
  Pipeline pipeline();

  /** The organization's plan, limits and features. */
  Entitlements entitlements();

  /**
   * Runs {@code work} in one transaction: it commits when {@code work} returns and rolls back when
   * it throws. Calls on {@code tx} join that transaction; so do calls on any scope of the same
   * organization made on this thread meanwhile. {@code tx} belongs to this thread and this
   * callback: used from another thread or after the callback returned it throws
   * {@link TenantContextException}, and so does work for another organization or the platform
   * inside the callback (it would commit on its own). After-commit effects (events) run once it
   * has committed. A call inside that fails has ended the transaction's use: let its exception
   * propagate (or throw another); work that catches it and returns commits nothing.
   *
   * @throws X what {@code work} throws, after the rollback
   * @throws io.crmkit.core.exception.RetryableException if the connection was lost before the
   *     COMMIT was sent (nothing committed)
   * @throws io.crmkit.core.exception.CommitOutcomeUnknownException if it was lost during the COMMIT
   * @throws IllegalStateException if {@code work} returned although a database error had aborted
   *     the transaction (it caught the exception); nothing was committed
   */
  <R, X extends Exception> R inTransaction(TransactionCallback<R, X> work) throws X;

  /**
   * A module's tenant service acting as this scope's actor, in this scope's transaction (inside
   * {@link #inTransaction} it joins the callback's): {@code scope.service(TicketService.class)}.
   * crm-core's own services are there too ({@code service(CustomerService.class)} is
   * {@link #customers()}).
   *
   * @throws IllegalArgumentException if no module of the Crm offers {@code type}
   */
  <T> T service(Class<T> type);

  /**
   * Returns this scope bound to a transaction the host already holds on {@code connection}, which
   * must be a connection of CRMKit's runtime role with auto-commit off. Each call sets the tenant
   * in the host's transaction; the host commits or rolls back. Effects that must wait for the
   * commit are handed to {@code afterCommit}.
   *
   * @throws TenantContextException if the connection is in auto-commit mode or of another role
   */
  TenantScope joining(Connection connection, AfterCommit afterCommit);

  /**
   * Like {@link #joining(Connection, AfterCommit)} for hosts without a commit hook: calls that
   * would have an after-commit effect (those that publish events while listeners are registered)
   * are then refused with {@link TenantContextException} rather than run too early.
   */
  TenantScope joining(Connection connection);
}
