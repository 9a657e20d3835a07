package io.crmkit.core.spi;

import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import org.postgresql.util.PSQLException;

/**
 * What the database said when a statement failed, told by SQLSTATE and constraint name (never by
 * message text, which the server may translate), for a module that turns one of its own
 * constraints into a precise error.
 *
 * <pre>{@code
 * try {
 *   tx.mapper(TicketMapper.class).insert(row);
 * } catch (RuntimeException e) {
 *   if (DatabaseError.of(e).filter(d -> d.isUniqueViolationOf("tickets_pkey")).isPresent()) {
 *     throw new ConflictException("a ticket with this id exists", id);
 *   }
 *   throw e;
 * }
 * }</pre>
 *
 * @param sqlState the SQLSTATE, e.g. {@code 23505}
 * @param constraint the constraint the server named, if any
 */
public record DatabaseError(String sqlState, Optional<String> constraint) {
  /** The SQLSTATE of a unique violation. */
  public static final String UNIQUE_VIOLATION = "23505";

  /** Creates the record. */
  public DatabaseError {
    Objects.requireNonNull(sqlState, "sqlState");
    Objects.requireNonNull(constraint, "constraint");
  }

  /** The database error in {@code error} or its causes (a MyBatis exception wraps it), if any. */
  public static Optional<DatabaseError> of(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String constraint = sql instanceof PSQLException p && p.getServerErrorMessage() != null
            ? p.getServerErrorMessage().getConstraint() : null;
        return Optional.of(new DatabaseError(sql.getSQLState(), Optional.ofNullable(constraint)));
      }
    }
    return Optional.empty();
  }

  /** Whether it is the SQLSTATE {@code state}. */
  public boolean is(String state) {
    return sqlState.equals(state);
  }

  /** Whether it is a unique violation of the constraint (or unique index) {@code name}. */
  public boolean isUniqueViolationOf(String name) {
    return is(UNIQUE_VIOLATION) && constraint.filter(name::equals).isPresent();
  }
}
