package io.crmkit.core.internal;

import io.crmkit.core.Actor;
import io.crmkit.core.AfterCommit;
import io.crmkit.core.TenantScope;
import io.crmkit.core.TransactionCallback;
import io.crmkit.core.customers.CustomerService;
import io.crmkit.core.exception.CrmException;
import io.crmkit.core.pipeline.Pipeline;
import io.crmkit.core.platform.Entitlements;
import io.crmkit.core.platform.OrganizationSettings;
import io.crmkit.core.users.UserService;
import java.sql.Connection;
import java.util.Objects;
import java.util.UUID;
import org.apache.ibatis.exceptions.PersistenceException;

/** A {@link TenantScope}: an organization, an actor, and optionally the host's connection. */
public final class SqlTenantScope implements TenantScope {
  private final CrmRuntime runtime;
  private final UUID organizationId;
  private final Actor actor;
  private final Connection hostConnection;
  private final AfterCommit hostAfterCommit;
  private final Tx bound;

  /** Creates a scope that opens its own transactions. */
  public SqlTenantScope(CrmRuntime runtime, UUID organizationId, Actor actor) {
    this(runtime, organizationId, actor, null, null, null);
  }

  private SqlTenantScope(CrmRuntime runtime, UUID organizationId, Actor actor, Connection hostConnection,
      AfterCommit hostAfterCommit, Tx bound) {
    this.runtime = runtime;
    this.organizationId = Objects.requireNonNull(organizationId, "organizationId");
    this.actor = Objects.requireNonNull(actor, "actor");
    this.hostConnection = hostConnection;
    this.hostAfterCommit = hostAfterCommit;
    this.bound = bound;
  }

  @Override
  public UUID organizationId() {
    return organizationId;
  }

  @Override
  public Actor actor() {
    return actor;
  }

  @Override
  public UserService users() {
    return new SqlUserService(this);
  }

  @Override
  public OrganizationSettings organization() {
    return new SqlOrganizationSettings(this);
  }

  @Override
  public CustomerService customers() {
    return new SqlCustomerService(this);
  }

  @Override
  public Pipeline pipeline() {
    return new SqlPipeline(this);
  }

  @Override
  public Entitlements entitlements() {
    return new SqlEntitlements(this);
  }

  @Override
  public <T> T service(Class<T> type) {
    return runtime.configuration().registry().tenantService(type, this);
  }

  @Override
  public <R, X extends Exception> R inTransaction(TransactionCallback<R, X> work) throws X {
    Objects.requireNonNull(work, "work");
    // The callback gets a scope bound to this very transaction: calls on it join it, and calls
    // from another thread or after the callback returned are refused instead of escaping.
    return run(tx -> work.inTransaction(new SqlTenantScope(runtime, organizationId, actor, hostConnection,
        hostAfterCommit, tx)));
  }

  @Override
  public TenantScope joining(Connection connection, AfterCommit afterCommit) {
    return new SqlTenantScope(runtime, organizationId, actor, Objects.requireNonNull(connection, "connection"),
        Objects.requireNonNull(afterCommit, "afterCommit"), null);
  }

  @Override
  public TenantScope joining(Connection connection) {
    return new SqlTenantScope(runtime, organizationId, actor, Objects.requireNonNull(connection, "connection"), null,
        null);
  }

  /** This scope bound to {@code tx}: calls on it join that transaction (what inTransaction callbacks get). */
  SqlTenantScope boundTo(Tx tx) {
    return new SqlTenantScope(runtime, organizationId, actor, hostConnection, hostAfterCommit, tx);
  }

  /** True unless this scope is bound to a transaction, joined to the host's, or called inside one. */
  boolean standalone() {
    return bound == null && hostConnection == null && !runtime.hasOpenTransaction();
  }

  CrmRuntime runtime() {
    return runtime;
  }

  /**
   * Runs one service call in this scope's transaction, checking the actor first. Database errors
   * arrive as {@code CrmException}s here, where the service is called, also when the call joins a
   * transaction the host's callback is running.
   */
  <R> R call(TxWork<R, RuntimeException> work) {
    try {
      return run(work);
    } catch (PersistenceException e) {
      throw SqlErrors.translate(e);
    }
  }

  private <R, X extends Exception> R run(TxWork<R, X> work) throws X {
    TxWork<R, X> checked = tx -> {
      tx.roleOf(actor);
      return work.run(tx);
    };
    if (bound != null) {
      return runtime.inBound(bound, checked);
    }
    if (hostConnection != null) {
      return runtime.inHostTransaction(organizationId, hostConnection, hostAfterCommit, checked);
    }
    return runtime.inTenant(organizationId, checked);
  }

  @Override
  public String toString() {
    return "TenantScope[organization=" + organizationId + ", " + actor + "]";
  }
}
