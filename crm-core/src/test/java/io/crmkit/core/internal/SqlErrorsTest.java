package io.crmkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.CrmException;
import io.crmkit.core.exception.ServerFaultException;
import io.crmkit.core.exception.TenantContextException;
import io.crmkit.core.exception.ValidationException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/** The mapping from SQLSTATE to the exception a host can act on; pure, so no database is needed. */
class SqlErrorsTest {

  @Test
  void aRowLevelSecurityRefusalIsATenantContextError() {
    SQLException rls = new SQLException("new row violates row-level security policy for table \"users\"", "42501");
    assertThat(SqlErrors.translate(rls)).isInstanceOf(TenantContextException.class);
  }

  @Test
  void aMissingGrantIsNotBlamedOnTheTenant() {
    SQLException denied = new SQLException("permission denied for table customers", "42501");
    assertThat(SqlErrors.translate(denied)).isInstanceOfSatisfying(ServerFaultException.class,
        e -> assertThat(e.sqlState()).contains("42501")).hasMessageContaining("permission denied");
  }

  @Test
  void serializationFailuresDeadlocksAndLostConnectionsAreRetryable() {
    for (String state : new String[] {"40001", "40P01", "08006", "57014", "55P03", "57P01", "53300"}) {
      assertThat(SqlErrors.translate(new SQLException("transient", state))).as(state)
          .isInstanceOf(io.crmkit.core.exception.RetryableException.class);
    }
  }

  @Test
  void aUniqueViolationIsAConflict() {
    PSQLException duplicate = new PSQLException("duplicate key", PSQLState.UNIQUE_VIOLATION);
    assertThat(SqlErrors.translate(duplicate)).isInstanceOf(ConflictException.class);
  }

  @Test
  void noMessageQuotesTheServersTextWhichMayHoldTheInput() {
    String secret = "s3cr3t-value";
    for (String state : new String[] {"22P02", "22021", "22001", "23514", "23502", "23505", "23503", "40001", "57014",
        "XX000", "42P01", "P0001", "42501", ""}) {
      SQLException e = new SQLException("invalid input syntax for type uuid: \"" + secret + "\" in select *", state);
      RuntimeException translated = SqlErrors.translate(e);
      assertThat(translated).as(state).isInstanceOf(CrmException.class);
      assertThat(translated.getMessage()).as(state).doesNotContain(secret).doesNotContain("select");
      assertThat(translated.getCause()).as(state + ": the cause, for logs").isSameAs(e);
    }
  }

  @Test
  void badValuesTheDatabaseRefusedAreValidationErrors() {
    for (String state : new String[] {"22P02", "22021", "22P05", "22001", "22003", "23514", "23502"}) {
      assertThat(SqlErrors.translate(new SQLException("x", state))).as(state).isInstanceOf(ValidationException.class);
    }
  }

  @Test
  void anUnexpectedErrorIsAServerFaultWithItsSqlState() {
    SQLException e = new SQLException("could not open relation", "XX000");
    assertThat(SqlErrors.translate(e)).isInstanceOfSatisfying(ServerFaultException.class, fault -> {
      assertThat(fault.sqlState()).contains("XX000");
      assertThat(fault.getCause()).isSameAs(e);
      assertThat(fault.getMessage()).isEqualTo("server fault: database error (SQLSTATE XX000)");
    });
  }

  @Test
  void aTerminatedSessionAtCommitLeavesTheOutcomeUnknown() {
    assertThat(SqlErrors.translateAtCommit(new SQLException("terminating connection", "57P01")))
        .isInstanceOf(io.crmkit.core.exception.CommitOutcomeUnknownException.class);
    assertThat(SqlErrors.translateAtCommit(new SQLException("deferred check", "23505")))
        .isInstanceOf(ConflictException.class);
  }
}
