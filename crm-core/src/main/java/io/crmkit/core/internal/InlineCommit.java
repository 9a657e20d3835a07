package io.crmkit.core.internal;

import io.crmkit.core.spi.TenantTransaction;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.apache.ibatis.executor.Executor;
import org.apache.ibatis.executor.SimpleExecutor;
import org.apache.ibatis.executor.parameter.ParameterHandler;
import org.apache.ibatis.mapping.BoundSql;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.RowBounds;
import org.apache.ibatis.transaction.managed.ManagedTransaction;

/**
 * A work's last statement sent with its COMMIT, in one round trip (see
 * {@link TenantTransaction#queryAndCommit}): pgjdbc sends a statement list's statements one after
 * the other and waits once, at the end. If the statement fails, the COMMIT commits nothing: the
 * extended protocol skips it, the simple one runs it on the failed transaction, which ends it as a
 * ROLLBACK would. Without {@code commit} (the host or a callback owns the transaction) the
 * statement runs alone.
 */
final class InlineCommit {
  private InlineCommit() {}

  /** Runs a mapper's statement, with or without its COMMIT, and maps its rows as the statement says. */
  static <E> List<E> mapped(Tx tx, boolean commit, Class<?> mapper, String statement, Object parameter)
      throws SQLException {
    Configuration configuration = tx.configuration();
    String id = mapper.getName() + "." + statement;
    if (!configuration.hasStatement(id)) {
      throw new IllegalArgumentException("no mapper statement " + id + "; is its mapper listed by its module?");
    }
    MappedStatement ms = configuration.getMappedStatement(id);
    BoundSql bound = ms.getBoundSql(parameter);
    ParameterHandler parameters = configuration.newParameterHandler(ms, parameter, bound);
    return run(tx, commit, bound.getSql(), parameters::setParameters, ps -> {
      Executor executor = new SimpleExecutor(configuration, new ManagedTransaction(ps.getConnection(), false));
      return configuration.newResultSetHandler(executor, ms, RowBounds.DEFAULT, parameters, null, bound)
          .<E>handleResultSets(ps);
    });
  }

  /** Sets a statement's parameters. */
  @FunctionalInterface
  private interface Parameters {
    void bind(PreparedStatement statement) throws SQLException;
  }

  /** Reads the rows of an executed statement. */
  @FunctionalInterface
  private interface Rows<R> {
    R read(PreparedStatement executed) throws SQLException;
  }

  private static <R> R run(Tx tx, boolean commit, String sql, Parameters bind, Rows<R> read)
      throws SQLException {
    if (!commit) {
      try (PreparedStatement ps = tx.connection().prepareStatement(sql)) {
        bind.bind(ps);
        ps.execute();
        return read.read(ps);
      }
    }
    try (PreparedStatement ps = tx.connection().prepareStatement(sql + "\n;COMMIT")) {
      bind.bind(ps);
      // All rows at once: a cursor (a host's defaultRowFetchSize) would not survive the COMMIT.
      ps.setFetchSize(0);
      boolean rows;
      try {
        rows = ps.execute();
      } catch (SQLException e) {
        if (SqlErrors.connectionLost(e)) {
          throw SqlErrors.translateAtCommit(e);
        }
        throw e;
      }
      tx.committedInline();
      if (!rows) {
        throw new IllegalArgumentException("queryAndCommit needs a statement that returns rows (it has committed)");
      }
      return read.read(ps);
    }
  }
}
