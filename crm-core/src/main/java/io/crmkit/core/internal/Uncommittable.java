package io.crmkit.core.internal;

import io.crmkit.core.exception.RetryableException;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why a transaction's COMMIT would commit nothing, when its work returned although a database
 * error ended or aborted it (the work caught the CrmException and went on). Without this check,
 * a connection already lost (a killed session, a server restart), which took the transaction with
 * it, would fail the COMMIT as an unknown outcome or a server fault although nothing can have
 * committed; and an aborted transaction would answer the COMMIT with a ROLLBACK that pgjdbc, by
 * default, does not report, so the call would return as if its writes had committed.
 */
final class Uncommittable {
  private static final Logger log = LoggerFactory.getLogger(Uncommittable.class);

  private Uncommittable() {}

  /** The exception to throw instead of committing on {@code connection}, or null to commit. */
  static RuntimeException reason(Connection connection) {
    try {
      if (connection.isClosed()) {
        return new RetryableException("the connection was lost during the transaction, before its COMMIT was sent;"
            + " nothing was changed", null);
      }
      if (connection.isWrapperFor(BaseConnection.class)
          && connection.unwrap(BaseConnection.class).getTransactionState() == TransactionState.FAILED) {
        return new IllegalStateException("a database error aborted the transaction and the work went on as if it had"
            + " not (it caught the CrmException); nothing was committed");
      }
    } catch (SQLException e) {
      log.debug("could not read the connection's state before the COMMIT; committing", e);
    }
    return null;
  }
}
