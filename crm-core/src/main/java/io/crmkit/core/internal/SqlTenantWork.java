package io.crmkit.core.internal;

import io.crmkit.core.Actor;
import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.core.users.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** {@link TenantWork} over crm-core's transactions. */
public final class SqlTenantWork {
  private SqlTenantWork() {}

  /** See {@link TenantWork#call}. */
  public static <R> R call(TenantScope scope, TenantWork.Work<R> work) {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(work, "work");
    if (!(scope instanceof SqlTenantScope sql)) {
      throw new IllegalArgumentException("not a scope from Crm.tenant(…): " + scope.getClass().getName());
    }
    // Standalone, the call opens the transaction and commits it when the work returns.
    boolean commitsOnReturn = sql.standalone();
    return sql.call(tx -> {
      try {
        return work.run(new View(tx, sql, commitsOnReturn && tx.owned()));
      } catch (SQLException e) {
        throw SqlErrors.translate(e);
      }
    });
  }

  /** See {@link TenantWork#crossTenant}. */
  public static <R> R crossTenant(io.crmkit.core.Crm crm, TenantWork.CrossTenantWork<R> work) {
    Objects.requireNonNull(work, "work");
    CrmRuntime runtime = CrmAccess.runtime(crm);
    try {
      return runtime.withoutTenant(tx -> {
        try {
          return work.run(new Untenanted(runtime, tx));
        } catch (SQLException e) {
          throw SqlErrors.translate(e);
        }
      });
    } catch (org.apache.ibatis.exceptions.PersistenceException e) {
      throw SqlErrors.translate(e);
    }
  }

  /**
   * A module's view of {@code tx}, a transaction crm-core's own service is running for
   * {@code scope} (a merge calling the modules' hooks): it never commits on its own.
   */
  static TenantTransaction viewWithin(Tx tx, SqlTenantScope scope) {
    return new View(tx, scope, false);
  }

  /** A module's view of {@code tx}, a platform transaction acting as the owner (provisioning). */
  static io.crmkit.core.spi.ModuleTransaction ownerView(CrmRuntime runtime, Tx tx) {
    return new Untenanted(runtime, tx);
  }

  /** A module's view of a transaction with no tenant: a cross-tenant one, or the owner's. */
  private record Untenanted(CrmRuntime runtime, Tx tx) implements io.crmkit.core.spi.CrossTenantTransaction {
    @Override
    public Instant now() {
      return tx.now();
    }

    @Override
    public <T> T mapper(Class<T> type) {
      return tx.mapper(Objects.requireNonNull(type, "type"));
    }

    @Override
    public String schema() {
      return runtime.configuration().schema();
    }

    @Override
    public Connection connection() {
      return tx.connection();
    }
  }

  /**
   * The module's view of {@code tx}. In a transaction the call opened, the scope's entry check has
   * just read the actor's role; a role check before the work's first statement uses that read
   * instead of a second identical one (nothing can have been locked or waited for in between).
   */
  private static final class View implements TenantTransaction {
    private final Tx tx;
    private final SqlTenantScope owner;
    private final boolean commitsOnReturn;
    private boolean started;

    View(Tx tx, SqlTenantScope owner, boolean commitsOnReturn) {
      this.tx = tx;
      this.owner = owner;
      this.commitsOnReturn = commitsOnReturn;
    }

    /** The work is about to run a statement of its own (or may, with what it is handed). */
    private Tx started() {
      started = true;
      return tx;
    }

    private Role checkRole(String operation, Role... roles) {
      return commitsOnReturn && !started ? tx.requireRoleAsRead(owner.actor(), operation, roles)
          : tx.requireRole(owner.actor(), operation, roles);
    }

    @Override
    public UUID organizationId() {
      return tx.organizationId();
    }

    @Override
    public Actor actor() {
      return owner.actor();
    }

    @Override
    public String schema() {
      return owner.runtime().configuration().schema();
    }

    @Override
    public Connection connection() {
      return started().connection();
    }

    @Override
    public boolean commitsOnReturn() {
      return commitsOnReturn;
    }

    @Override
    public Instant now() {
      return tx.now();
    }

    @Override
    public Role requireRole(String operation, Role... roles) {
      return checkRole(operation, roles);
    }

    @Override
    public void requireRoleUnlessSystem(String operation, Role... roles) {
      if (owner.actor() instanceof Actor.Member) {
        checkRole(operation, roles);
      }
    }

    @Override
    public TenantScope scope() {
      return owner.boundTo(started());
    }

    @Override
    public <E> List<E> queryAndCommit(Class<?> mapper, String statement, Object parameter) throws SQLException {
      Objects.requireNonNull(mapper, "mapper");
      Objects.requireNonNull(statement, "statement");
      return InlineCommit.mapped(started(), commitsOnReturn, mapper, statement, parameter);
    }

    @Override
    public <T> T mapper(Class<T> type) {
      return started().mapper(Objects.requireNonNull(type, "type"));
    }

    @Override
    public void afterCommit(Runnable action) {
      tx.afterCommit(Objects.requireNonNull(action, "action"));
    }

    @Override
    public void takeWithinLimit(String metric, LocalDate period, long amount, Limit limit) {
      UsageCounters.takeWithinLimit(started(), metric, period, amount, limit);
    }

    @Override
    public void count(String metric, LocalDate period, long amount) {
      UsageCounters.tryAdd(started(), metric, period, amount, java.util.OptionalLong.empty());
    }

    @Override
    public void giveBack(String metric, LocalDate period, long amount) {
      UsageCounters.release(started(), metric, period, amount);
    }
  }
}
