package io.crmkit.core.internal;

import io.crmkit.core.AfterCommit;
import io.crmkit.core.CrmListener;
import io.crmkit.core.exception.CrmException;
import io.crmkit.core.exception.ServerFaultException;
import io.crmkit.core.exception.TenantContextException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place transactions are opened, committed and rolled back: a tenant's, one without a
 * tenant, the owner's for platform work, and the host's a scope joined. What the {@code Crm} was
 * built with is its {@link CrmConfiguration}; events go to the listeners through
 * {@link EventDelivery} after the commit.
 *
 * <p>A tenant transaction takes a connection, turns auto-commit off, and sends
 * {@code select set_config('app.current_organization_id', ?, true)} as its first statement:
 * pgjdbc sends it together with the implicit BEGIN, so the context costs no extra round trip,
 * and being transaction-local it is gone at COMMIT or ROLLBACK, before the pool hands the
 * connection to anyone else (HikariCP does not reset custom settings).
 */
public final class CrmRuntime {
  private static final Logger log = LoggerFactory.getLogger(CrmRuntime.class);

  private final CrmConfiguration configuration;
  private final EventDelivery events;
  private final SqlSessionFactory sessions;
  private final ThreadLocal<Tx> open = new ThreadLocal<>();

  /** Creates the runtime of {@code configuration}, delivering events to {@code listeners}. */
  public CrmRuntime(CrmConfiguration configuration, List<CrmListener> listeners) {
    this.configuration = Objects.requireNonNull(configuration, "configuration");
    this.events = new EventDelivery(listeners);
    this.sessions = MyBatisSetup.create(configuration.runtimeDataSource(), configuration.schema(),
        configuration.ownerRole(), configuration.modules());
  }

  /** What the Crm was built with. */
  public CrmConfiguration configuration() {
    return configuration;
  }

  EventDelivery events() {
    return events;
  }

  /** Whether this thread has a CRMKit transaction open. */
  boolean hasOpenTransaction() {
    return open.get() != null;
  }

  /** Runs {@code work} in {@code tx}, a transaction a scope was bound to by a callback. */
  <R, X extends Exception> R inBound(Tx tx, TxWork<R, X> work) throws X {
    tx.requireUsable();
    return work.run(tx);
  }

  /**
   * Runs {@code work} in a transaction of {@code organizationId}: the open one of this thread if it
   * is the same tenant's, else a new one on a pooled runtime connection.
   *
   * @throws TenantContextException if this thread has a transaction of another organization (or of
   *     the platform) open: work for another tenant inside it would commit on its own
   */
  <R, X extends Exception> R inTenant(UUID organizationId, TxWork<R, X> work) throws X {
    Objects.requireNonNull(organizationId, "organizationId");
    Tx current = open.get();
    if (current != null) {
      if (current.hasTenant() && current.organizationId().equals(organizationId)) {
        return work.run(current);
      }
      throw nested(current, "organization " + organizationId);
    }
    return inNewTransaction(configuration.runtimeDataSource(), organizationId, false, work);
  }

  /** Runs {@code work} in a transaction with no tenant at all: for the cross-tenant functions only. */
  <R, X extends Exception> R withoutTenant(TxWork<R, X> work) throws X {
    refuseNesting("work outside any tenant");
    return inNewTransaction(configuration.runtimeDataSource(), null, false, work);
  }

  /**
   * Runs {@code work} as the owner role on the privileged migration connection, with
   * {@code SET LOCAL ROLE}, so a pooled privileged connection goes back as it came.
   */
  <R, X extends Exception> R asOwner(TxWork<R, X> work) throws X {
    DataSource migrationDataSource = configuration.migrationDataSource();
    if (migrationDataSource == null) {
      throw new IllegalStateException("platform operations need the migration DataSource;"
          + " set Crm.builder().migrationDataSource(...)");
    }
    refuseNesting("a platform operation");
    return inNewTransaction(migrationDataSource, null, true, work);
  }

  /**
   * Runs {@code work} in the host's transaction on {@code connection}: sets the tenant there and
   * leaves commit and rollback to the host.
   */
  <R, X extends Exception> R inHostTransaction(UUID organizationId, Connection connection,
      AfterCommit afterCommit, TxWork<R, X> work) throws X {
    Tx previous = open.get();
    if (previous != null && (previous.connection() != connection || !previous.organizationId().equals(organizationId))) {
      throw nested(previous, "organization " + organizationId + " on the host's connection");
    }
    try {
      if (connection.getAutoCommit()) {
        throw new TenantContextException("the host connection is in auto-commit mode: a transaction-local tenant"
            + " context would end with the first statement; turn auto-commit off and commit yourself");
      }
    } catch (SQLException e) {
      throw infrastructure("cannot read the host connection's auto-commit mode", e);
    }
    SqlSession session = sessions.openSession(connection);
    Tx tx = new Tx(this, organizationId, connection, session, true, afterCommit);
    open.set(tx);
    try {
      String user = tx.mapper(TenantMapper.class).currentUser();
      if (!configuration.connectedRole().equals(user)) {
        throw new TenantContextException("the host connection is of role " + user + ", not CRMKit's runtime role "
            + configuration.connectedRole() + " that row-level security applies to");
      }
      String isolation = tx.mapper(TenantMapper.class).begin(organizationId.toString()).isolation;
      if ("repeatable read".equals(isolation)) {
        // Seats and the last-admin rule count under the organization's row lock; a REPEATABLE READ
        // snapshot taken before the lock would count stale rows (SERIALIZABLE fails safely instead).
        throw new TenantContextException("the host transaction runs at REPEATABLE READ; CRMKit needs READ COMMITTED"
            + " or SERIALIZABLE");
      }
      R result = work.run(tx);
      session.flushStatements();
      return result;
    } catch (PersistenceException e) {
      throw SqlErrors.translate(e);
    } finally {
      tx.close();
      restore(previous);
      session.close();
    }
  }

  /**
   * One transaction on a fresh connection. Only CRMKit's own infrastructure failures (connection,
   * context, commit, MyBatis) are translated into {@code CrmException}s; whatever {@code work}
   * throws reaches the caller unchanged, after the rollback.
   */
  private <R, X extends Exception> R inNewTransaction(DataSource dataSource, UUID organizationId, boolean asOwner,
      TxWork<R, X> work) throws X {
    Connection connection;
    boolean autoCommit;
    try {
      connection = dataSource.getConnection();
    } catch (SQLException e) {
      // A pool that timed out or a server that refused the connection: nothing was done, and a
      // later attempt may well succeed (a webhook answers 503 on it, so the sender retries).
      if (e instanceof java.sql.SQLTransientException || (e.getSQLState() != null && e.getSQLState().startsWith("08"))) {
        throw new io.crmkit.core.exception.RetryableException("cannot get a database connection (pool exhausted or"
            + " server unreachable); nothing was done", e);
      }
      if (dataSource instanceof com.zaxxer.hikari.HikariDataSource pool && pool.isClosed()) {
        throw new ServerFaultException("server fault: the connection pool is closed (was the Crm closed?)", null, e);
      }
      throw infrastructure("cannot get a connection", e);
    }
    Tx tx;
    R result = null;
    Throwable failedAfterCommit = null;
    int isolationToRestore = -1;
    try {
      try {
        autoCommit = connection.getAutoCommit();
        if (!autoCommit) {
          // A pool that does not roll back on return could hand over someone's open transaction.
          connection.rollback();
        }
        connection.setAutoCommit(false);
      } catch (SQLException e) {
        closeQuietly(connection);
        throw infrastructure("cannot start a transaction", e);
      }
      SqlSession session = sessions.openSession(connection);
      tx = new Tx(this, organizationId, connection, session, false, null);
      open.set(tx);
      try {
        try {
          isolationToRestore = begin(tx, connection, organizationId, asOwner);
        } catch (SQLException | PersistenceException e) {
          rollback(connection, e);
          throw infrastructure("cannot set the transaction's context", e);
        }
        try {
          result = work.run(tx);
          if (!tx.committed()) {
            session.flushStatements();
          }
        } catch (Throwable t) {
          if (!tx.committed()) {
            rollback(connection, t);
            if (t instanceof PersistenceException p) {
              throw SqlErrors.translate(p);
            }
            throw t;
          }
          failedAfterCommit = t;
        }
        if (tx.committed()) {
          // Ends whatever a connection handle kept past the inline commit may have begun; nothing
          // is sent when the connection is idle, as it should be.
          rollback(connection, null);
        } else {
          RuntimeException uncommittable = Uncommittable.reason(connection);
          if (uncommittable != null) {
            rollback(connection, uncommittable);
            throw uncommittable;
          }
          try {
            connection.commit();
          } catch (SQLException e) {
            rollback(connection, e);
            throw SqlErrors.translateAtCommit(e);
          }
        }
      } finally {
        tx.close();
        open.remove();
        session.close();
        resetConnection(connection, isolationToRestore, autoCommit);
      }
    } finally {
      closeQuietly(connection);
    }
    // Committed: nothing after this point may turn the call into a failure.
    for (Runnable action : tx.committedActions()) {
      try {
        action.run();
      } catch (RuntimeException e) {
        log.warn("an after-commit action failed; the transaction stays committed", e);
      }
    }
    if (failedAfterCommit != null) {
      // A module's bug: its work went on after the statement that committed it.
      throw new IllegalStateException("the transaction committed with its last statement, then the work failed",
          failedAfterCommit);
    }
    return result;
  }

  /**
   * The first statement of every transaction: the tenant (or explicitly none) and the isolation
   * level, in the round trip of pgjdbc's implicit BEGIN. CRMKit's checks that count under a row
   * lock need READ COMMITTED; a connection whose default is stricter is switched for the
   * transaction and switched back before the connection goes back to the pool. Platform work
   * then acts as the owner role for the transaction ({@code SET LOCAL ROLE}).
   *
   * @return the isolation level to restore afterwards, or -1 if it was not changed
   */
  private int begin(Tx tx, Connection connection, UUID organizationId, boolean asOwner) throws SQLException {
    String tenant = organizationId == null ? "" : organizationId.toString();
    int previous = -1;
    Rows.ContextRow context = tx.mapper(TenantMapper.class).begin(tenant);
    if (!"read committed".equals(context.isolation)) {
      connection.rollback();
      previous = connection.getTransactionIsolation();
      connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      tx.mapper(TenantMapper.class).begin(tenant);
    }
    if (asOwner) {
      tx.mapper(TenantMapper.class).actAsOwner();
    }
    return previous;
  }

  private void refuseNesting(String what) {
    Tx current = open.get();
    if (current != null) {
      throw nested(current, what);
    }
  }

  private static TenantContextException nested(Tx current, String what) {
    String open = current.hasTenant() ? "a transaction of organization " + current.organizationId()
        : "a platform or tenant-less transaction";
    return new TenantContextException(open + " is open on this thread; " + what + " inside it would run and commit"
        + " on its own. Use the scope the transaction callback was given, or run it outside the transaction.");
  }

  /**
   * A failure of CRMKit's own plumbing: a lost connection is retryable like any other, the rest is a
   * server fault; neither message quotes the driver's text, which stays in the cause.
   */
  private static CrmException infrastructure(String what, Exception e) {
    RuntimeException translated = SqlErrors.findSqlException(e) != null ? SqlErrors.translate(e) : null;
    if (translated instanceof io.crmkit.core.exception.RetryableException retryable) {
      return retryable;
    }
    String state = translated instanceof ServerFaultException fault ? fault.sqlState().orElse(null) : null;
    return new ServerFaultException("server fault: " + what + (state == null ? "" : " (SQLSTATE " + state + ")"),
        state, e);
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      log.debug("closing a connection failed", e);
    }
  }

  private void restore(Tx previous) {
    if (previous == null) {
      open.remove();
    } else {
      open.set(previous);
    }
  }

  private static void rollback(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      if (cause == null) {
        log.debug("rolling back after an inline commit failed", e);
      } else {
        cause.addSuppressed(e);
      }
    }
  }

  private static void resetConnection(Connection connection, int isolation, boolean autoCommit) {
    try {
      if (isolation != -1) {
        connection.setTransactionIsolation(isolation);
      }
      connection.setAutoCommit(autoCommit);
    } catch (SQLException e) {
      log.debug("could not restore isolation or auto-commit on a connection going back to the pool", e);
    }
  }
}
