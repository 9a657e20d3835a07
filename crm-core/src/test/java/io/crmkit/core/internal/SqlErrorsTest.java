package io.crmkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.CrmException;
import io.crmkit.core.exception.TenantContextException;
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
    assertThat(SqlErrors.translate(denied)).isExactlyInstanceOf(CrmException.class)
        .hasMessageContaining("permission denied");
  }

  @Test
  void serializationFailuresDeadlocksAndLostConnectionsAreRetryable() {
    for (String state : new String[] {"40001", "40P01", "08006", "57014", "55P03"}) {
      assertThat(SqlErrors.translate(new SQLException("transient", state))).as(state)
          .isInstanceOf(io.crmkit.core.exception.RetryableException.class);
    }
  }

  @Test
  void aUniqueViolationIsAConflict() {
    PSQLException duplicate = new PSQLException("duplicate key", PSQLState.UNIQUE_VIOLATION);
    assertThat(SqlErrors.translate(duplicate)).isInstanceOf(ConflictException.class);
  }
}
