package io.crmkit.core.internal;

import io.crmkit.core.exception.CommitOutcomeUnknownException;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.CrmException;
import io.crmkit.core.exception.RetryableException;
import io.crmkit.core.exception.TenantContextException;
import io.crmkit.core.exception.ValidationException;
import java.sql.SQLException;
import org.apache.ibatis.exceptions.PersistenceException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Turns database errors that slipped past the Java checks into CRMKit's exceptions. */
final class SqlErrors {
  private SqlErrors() {}

  static RuntimeException translate(Throwable error) {
    if (error instanceof CrmException crm) {
      return crm;
    }
    SQLException sql = findSqlException(error);
    if (sql == null) {
      if (error instanceof PersistenceException) {
        // A mapping failure in MyBatis, not the database's: still one of ours to report. Its message
        // quotes the statement, so it stays with the cause, for logs.
        return new CrmException("a database row could not be mapped; the cause has the details", error);
      }
      return error instanceof RuntimeException r ? r : new CrmException(error.getMessage(), error);
    }
    String state = sql.getSQLState() == null ? "" : sql.getSQLState();
    String detail = detail(sql);
    if (state.startsWith("08") || state.equals("40001") || state.equals("40P01")) {
      return new RetryableException("transient database failure " + state + ", nothing was changed: " + detail, sql);
    }
    if (state.equals("57014") || state.equals("55P03")) {
      // A statement or lock timeout (or a cancel): the statement failed, so its transaction did too.
      return new RetryableException("the database gave up waiting (" + state + "), nothing was changed: " + detail, sql);
    }
    switch (state) {
      case "23505":
        return new ConflictException("already exists: " + detail);
      case "23503":
        // A record this one refers to was deleted (or never was this tenant's) meanwhile.
        return new ConflictException("a record it refers to is gone: " + detail);
      case "23514":
      case "23502":
      case "22023":
      case "22P02":
      case "22001":
        return new ValidationException(column(sql), detail);
      case "42501":
        if (isRowLevelSecurity(sql, detail)) {
          // The policy refused the row: no tenant, or the row is not this tenant's.
          return new TenantContextException("the database refused the row for this tenant context: " + detail);
        }
        // A missing grant is a deployment or migration defect, not a tenant problem.
        return new CrmException("permission denied to the runtime role: " + detail, sql);
      default:
        return new CrmException("database error " + state + ": " + detail, sql);
    }
  }

  /**
   * A failure of the statement that carried the COMMIT, or of the COMMIT itself: a lost
   * connection (class 08) then leaves the outcome unknown, since the server may have committed
   * before it noticed, so it must not read "nothing was changed" and invite a blind retry.
   */
  static RuntimeException translateAtCommit(SQLException e) {
    if (connectionLost(e)) {
      return new CommitOutcomeUnknownException("the connection failed while the transaction was committing; whether it"
          + " committed is unknown, so check before doing it again: " + detail(e), e);
    }
    return translate(e);
  }

  /** Whether {@code e} is a lost or broken connection (SQLSTATE class 08). */
  static boolean connectionLost(SQLException e) {
    return e.getSQLState() != null && e.getSQLState().startsWith("08");
  }

  /**
   * A policy refusal, told from a missing grant by the server routine that raised it (the
   * message text may be translated); by the message when the routine is unknown.
   */
  private static boolean isRowLevelSecurity(SQLException sql, String detail) {
    if (sql instanceof PSQLException p && p.getServerErrorMessage() != null
        && p.getServerErrorMessage().getRoutine() != null) {
      return p.getServerErrorMessage().getRoutine().equals("ExecWithCheckOptions");
    }
    return detail.contains("row-level security");
  }

  static SQLException findSqlException(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        return s;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /**
   * What a message may say of a database error: the server's primary message and constraint, never
   * the statement, its parameters or the PL/pgSQL context (which quotes the SQL a function runs).
   * Those stay in the cause, for logs.
   */
  private static String detail(SQLException sql) {
    if (sql instanceof PSQLException p && p.getServerErrorMessage() != null) {
      ServerErrorMessage m = p.getServerErrorMessage();
      return m.getMessage() + (m.getConstraint() == null ? "" : " (" + m.getConstraint() + ")");
    }
    if (sql instanceof java.sql.BatchUpdateException && sql.getNextException() != null) {
      // Its own message quotes the statement of the failed batch entry.
      return detail(sql.getNextException());
    }
    return sql.getMessage();
  }

  private static String column(SQLException sql) {
    if (sql instanceof PSQLException p && p.getServerErrorMessage() != null) {
      ServerErrorMessage m = p.getServerErrorMessage();
      if (m.getColumn() != null) {
        return m.getColumn();
      }
      if (m.getConstraint() != null) {
        return m.getConstraint();
      }
    }
    return "value";
  }
}
