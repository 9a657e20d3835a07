package io.crmkit.core.internal;

import io.crmkit.core.exception.CommitOutcomeUnknownException;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.CrmException;
import io.crmkit.core.exception.RetryableException;
import io.crmkit.core.exception.ServerFaultException;
import io.crmkit.core.exception.TenantContextException;
import io.crmkit.core.exception.ValidationException;
import java.sql.SQLException;
import org.apache.ibatis.exceptions.PersistenceException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns database errors that slipped past the Java checks into CRMKit's exceptions. A message
 * names the SQLSTATE and, where the schema has one, the constraint or column, never the server's
 * text, the statement or its parameters (a value the input carried may be in any of them); the
 * SQLException stays the cause, for logs.
 */
final class SqlErrors {
  private SqlErrors() {}

  static RuntimeException translate(Throwable error) {
    if (error instanceof CrmException crm) {
      return crm;
    }
    SQLException sql = findSqlException(error);
    if (sql == null) {
      if (error instanceof PersistenceException) {
        // A mapping failure in MyBatis, not the database's: its message quotes the statement.
        return new ServerFaultException("server fault: a database row could not be mapped; the cause has the details",
            null, error);
      }
      return error instanceof RuntimeException r ? r
          : new ServerFaultException("server fault: " + error.getClass().getSimpleName(), null, error);
    }
    String state = sql.getSQLState() == null ? "" : sql.getSQLState();
    if (isTransient(state)) {
      return new RetryableException("transient database failure (SQLSTATE " + state + "); nothing was changed", sql);
    }
    if (state.equals("57014") || state.equals("55P03")) {
      // A statement or lock timeout (or a cancel): the statement failed, so its transaction did too.
      return new RetryableException("the database gave up waiting (SQLSTATE " + state + "); nothing was changed", sql);
    }
    switch (state) {
      case "23505":
        return new ConflictException("already exists" + constraint(sql), sql);
      case "23503":
        // A record this one refers to was deleted (or never was this tenant's) meanwhile.
        return new ConflictException("a record it refers to is gone" + constraint(sql), sql);
      case "23514":
        return new ValidationException(column(sql), "breaks a rule of the schema" + constraint(sql), sql);
      case "23502":
        return new ValidationException(column(sql), "is required", sql);
      case "22001":
        return new ValidationException(column(sql), "is too long", sql);
      case "22003":
        return new ValidationException(column(sql), "is out of range", sql);
      case "22021":
      case "22P05":
        return new ValidationException(column(sql), "holds a character the database cannot store", sql);
      case "22007":
      case "22008":
      case "22023":
      case "22P02":
        return new ValidationException(column(sql), "is not a valid value (SQLSTATE " + state + ")", sql);
      case "42501":
        if (isRowLevelSecurity(sql)) {
          // The policy refused the row: no tenant, or the row is not this tenant's.
          return new TenantContextException("the database refused the row for this tenant context"
              + constraint(sql), sql);
        }
        // A missing grant is a deployment or migration defect, not a tenant problem.
        return new ServerFaultException("server fault: permission denied to the runtime role (SQLSTATE 42501)",
            state, sql);
      default:
        return new ServerFaultException("server fault: database error (SQLSTATE " + (state.isEmpty() ? "none" : state)
            + ")", state.isEmpty() ? null : state, sql);
    }
  }

  /**
   * A failure of the statement that carried the COMMIT, or of the COMMIT itself: a lost
   * connection then leaves the outcome unknown, since the server may have committed before it
   * noticed, so it must not read "nothing was changed" and invite a blind retry.
   */
  static RuntimeException translateAtCommit(SQLException e) {
    if (connectionLost(e)) {
      return new CommitOutcomeUnknownException("the connection failed while the transaction was committing (SQLSTATE "
          + e.getSQLState() + "); whether it committed is unknown, so check before doing it again", e);
    }
    return translate(e);
  }

  /**
   * Whether {@code e} is a lost or broken connection: SQLSTATE class 08, or the server ending the
   * session (57P01 terminated by an administrator or {@code pg_terminate_backend}, 57P02 crash,
   * 57P03 starting or shutting down).
   */
  static boolean connectionLost(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("08") || state.startsWith("57P"));
  }

  /** Nothing was changed and the same call may well succeed later. */
  private static boolean isTransient(String state) {
    return state.startsWith("08") || state.startsWith("57P") || state.equals("40001") || state.equals("40P01")
        || state.equals("53300");
  }

  /**
   * A policy refusal, told from a missing grant by the server routine that raised it (the
   * message text may be translated); by the message when the routine is unknown.
   */
  private static boolean isRowLevelSecurity(SQLException sql) {
    if (sql instanceof PSQLException p && p.getServerErrorMessage() != null
        && p.getServerErrorMessage().getRoutine() != null) {
      return p.getServerErrorMessage().getRoutine().equals("ExecWithCheckOptions");
    }
    return String.valueOf(sql.getMessage()).contains("row-level security");
  }

  static SQLException findSqlException(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        return s.getNextException() != null && s instanceof java.sql.BatchUpdateException ? s.getNextException() : s;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /** The schema's name for the constraint, as {@code " (name)"}, or nothing. */
  private static String constraint(SQLException sql) {
    ServerErrorMessage m = serverMessage(sql);
    return m == null || m.getConstraint() == null ? "" : " (" + m.getConstraint() + ")";
  }

  private static String column(SQLException sql) {
    ServerErrorMessage m = serverMessage(sql);
    if (m != null) {
      if (m.getColumn() != null) {
        return m.getColumn();
      }
      if (m.getConstraint() != null) {
        return m.getConstraint();
      }
    }
    return "value";
  }

  private static ServerErrorMessage serverMessage(SQLException sql) {
    return sql instanceof PSQLException p ? p.getServerErrorMessage() : null;
  }
}
