package io.crmkit.core.internal;

import io.crmkit.core.AfterCommit;
import io.crmkit.core.CrmEvent;
import io.crmkit.core.CrmException;
import io.crmkit.core.CrmListener;
import io.crmkit.core.TenantContextException;
import io.crmkit.core.spi.CrmModule;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a {@code Crm} shares with its scopes and services, and the one place transactions
 * are opened, committed and rolled back.
 *
 * <p>A tenant transaction takes a connection, turns auto-commit off, and sends
 * {@code select set_config('app.current_organization_id', ?, true)} as its first statement:
 * pgjdbc sends it together with the implicit BEGIN, so the context costs no extra round trip,
 * and being transaction-local it is gone at COMMIT or ROLLBACK, before the pool hands the
 * connection to anyone else (HikariCP does not reset custom settings).
 */
public final class CrmRuntime {
  private static final Logger log = LoggerFactory.getLogger(CrmRuntime.class);

  private final String schema;
  private final String ownerRole;
  private final String runtimeRole;
  private final Clock clock;
  private final Duration invitationTtl;
  private final List<CrmListener> listeners;
  private final DataSource runtimeDataSource;
  private final DataSource migrationDataSource;
  private final SqlSessionFactory sessions;
  private final List<CrmModule> modules;
  private final ThreadLocal<Tx> open = new ThreadLocal<>();

  /** Creates the runtime; {@code migrationDataSource} may be null (no platform operations then). */
  public CrmRuntime(String schema, String ownerRole, String runtimeRole, Clock clock, Duration invitationTtl,
      List<CrmListener> listeners, DataSource runtimeDataSource, DataSource migrationDataSource,
      List<CrmModule> modules) {
    this.schema = schema;
    this.ownerRole = ownerRole;
    this.runtimeRole = runtimeRole;
    this.clock = clock;
    this.invitationTtl = invitationTtl;
    this.listeners = List.copyOf(listeners);
    this.runtimeDataSource = runtimeDataSource;
    this.migrationDataSource = migrationDataSource;
    this.modules = List.copyOf(modules);
    this.sessions = MyBatisSetup.create(runtimeDataSource, schema);
  }

  public String schema() {
    return schema;
  }

  public String ownerRole() {
    return ownerRole;
  }

  public String runtimeRole() {
    return runtimeRole;
  }

  public Clock clock() {
    return clock;
  }

  public Duration invitationTtl() {
    return invitationTtl;
  }

  public List<CrmModule> modules() {
    return modules;
  }

  boolean hasListeners() {
    return !listeners.isEmpty();
  }

  void deliver(CrmEvent event) {
    for (CrmListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        log.warn("listener {} failed on {} (the transaction stays committed)", listener, event.getClass().getSimpleName(), e);
      }
    }
  }

  /**
   * Runs {@code work} in a transaction of {@code organizationId}: the open one of this thread if it
   * is the same tenant's, else a new one on a pooled runtime connection.
   */
  public <R, X extends Exception> R inTenant(UUID organizationId, TxWork<R, X> work) throws X {
    Objects.requireNonNull(organizationId, "organizationId");
    Tx current = open.get();
    if (current != null && current.hasTenant() && current.organizationId().equals(organizationId)) {
      return work.run(current);
    }
    return inNewTransaction(runtimeDataSource, organizationId, null, work);
  }

  /** Runs {@code work} in a transaction with no tenant at all: for the cross-tenant functions only. */
  public <R, X extends Exception> R withoutTenant(TxWork<R, X> work) throws X {
    return inNewTransaction(runtimeDataSource, null, null, work);
  }

  /**
   * Runs {@code work} as the owner role on the privileged migration connection, with
   * {@code SET LOCAL ROLE}, so a pooled privileged connection goes back as it came.
   */
  public <R, X extends Exception> R asOwner(TxWork<R, X> work) throws X {
    if (migrationDataSource == null) {
      throw new IllegalStateException("platform operations need the migration DataSource;"
          + " set Crm.builder().migrationDataSource(...)");
    }
    return inNewTransaction(migrationDataSource, null, "SET LOCAL ROLE " + quote(ownerRole), work);
  }

  /**
   * Runs {@code work} in the host's transaction on {@code connection}: sets the tenant there and
   * leaves commit and rollback to the host.
   */
  public <R, X extends Exception> R inHostTransaction(UUID organizationId, Connection connection,
      AfterCommit afterCommit, TxWork<R, X> work) throws X {
    try {
      if (connection.getAutoCommit()) {
        throw new TenantContextException("the host connection is in auto-commit mode: a transaction-local tenant"
            + " context would end with the first statement; turn auto-commit off and commit yourself");
      }
    } catch (SQLException e) {
      throw SqlErrors.translate(e);
    }
    Tx previous = open.get();
    SqlSession session = sessions.openSession(connection);
    Tx tx = new Tx(this, organizationId, connection, session, true, afterCommit);
    open.set(tx);
    try {
      String user = tx.mapper(TenantMapper.class).currentUser();
      if (!runtimeRole.equals(user)) {
        throw new TenantContextException("the host connection is of role " + user + ", not CRMKit's runtime role "
            + runtimeRole + " that row-level security applies to");
      }
      tx.mapper(TenantMapper.class).setOrganization(organizationId.toString());
      R result = work.run(tx);
      session.flushStatements();
      return result;
    } catch (RuntimeException e) {
      throw SqlErrors.translate(e);
    } finally {
      restore(previous);
      session.close();
    }
  }

  private <R, X extends Exception> R inNewTransaction(DataSource dataSource, UUID organizationId, String setup,
      TxWork<R, X> work) throws X {
    Tx previous = open.get();
    Tx tx;
    R result;
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      SqlSession session = sessions.openSession(connection);
      tx = new Tx(this, organizationId, connection, session, false, null);
      open.set(tx);
      try {
        if (setup != null) {
          try (Statement s = connection.createStatement()) {
            s.execute(setup);
          }
        }
        if (organizationId != null) {
          tx.mapper(TenantMapper.class).setOrganization(organizationId.toString());
        }
        result = work.run(tx);
        session.flushStatements();
        connection.commit();
      } catch (Exception | Error e) {
        rollback(connection, e);
        throw e;
      } finally {
        restore(previous);
        session.close();
        resetAutoCommit(connection, autoCommit);
      }
    } catch (SQLException e) {
      throw SqlErrors.translate(e);
    } catch (RuntimeException e) {
      throw SqlErrors.translate(e);
    }
    for (Runnable action : tx.committedActions()) {
      action.run();
    }
    return result;
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
      cause.addSuppressed(e);
    }
  }

  private static void resetAutoCommit(Connection connection, boolean autoCommit) {
    try {
      connection.setAutoCommit(autoCommit);
    } catch (SQLException e) {
      log.debug("could not restore auto-commit on a connection going back to the pool", e);
    }
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** Wraps an unexpected checked failure. */
  static CrmException failure(String what, Exception e) {
    return new CrmException(what + ": " + e.getMessage(), e);
  }
}
