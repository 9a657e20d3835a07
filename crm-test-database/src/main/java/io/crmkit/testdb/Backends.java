package io.crmkit.testdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * The server's sessions of a database, as {@code pg_stat_activity} shows them to the superuser:
 * for fault tests that wait until a call is where they want it (waiting for a lock the test
 * holds, idle inside its transaction) and then end its session, as an operator's
 * {@code pg_terminate_backend} or a crash would.
 *
 * <pre>{@code
 * Future<?> call = threads.submit(() -> scope.customers().update(id, change)); // blocks on the test's row lock
 * Backends.Backend blocked = Backends.await(admin, "crm_app", Backends.Backend::waitsForLock);
 * Backends.terminate(admin, blocked.pid());
 * }</pre>
 */
public final class Backends {
  /** How long {@link #await} looks before it gives up: far longer than any call under test takes to get there. */
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private Backends() {}

  /**
   * One session.
   *
   * @param pid the backend's process id
   * @param state {@code active}, {@code idle in transaction}, …
   * @param waitEventType what it waits for ({@code Lock}, {@code Client}, …), or empty
   * @param waitEvent the wait event ({@code transactionid}, {@code advisory}, …), or empty
   * @param query its current (or, when idle, last) statement
   */
  public record Backend(int pid, String state, String waitEventType, String waitEvent, String query) {
    /** Whether it waits for a heavyweight lock: a row, a transaction, an advisory lock. */
    public boolean waitsForLock() {
      return waitEventType.equals("Lock");
    }

    /** Whether it sits inside an open transaction between two statements. */
    public boolean idleInTransaction() {
      return state.equals("idle in transaction");
    }
  }

  /** The sessions of {@code role} in {@code admin}'s database, the caller's own left out. */
  public static List<Backend> of(DataSource admin, String role) {
    try (Connection c = admin.getConnection(); PreparedStatement ps = c.prepareStatement(
        "select pid, coalesce(state, ''), coalesce(wait_event_type, ''), coalesce(wait_event, ''), coalesce(query, '')"
            + " from pg_stat_activity where datname = current_database() and usename = ? and pid <> pg_backend_pid()"
            + " order by pid")) {
      ps.setString(1, role);
      List<Backend> backends = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          backends.add(new Backend(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
        }
      }
      return backends;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read pg_stat_activity", e);
    }
  }

  /**
   * Waits until exactly one session of {@code role} in {@code admin}'s database matches
   * {@code condition} and returns it (looking every few milliseconds, for at most 30 seconds).
   *
   * @throws IllegalStateException if none does in that time, or several do
   */
  public static Backend await(DataSource admin, String role, Predicate<Backend> condition) {
    Instant deadline = Instant.now().plus(PATIENCE);
    while (true) {
      List<Backend> matching = of(admin, role).stream().filter(condition).toList();
      if (matching.size() > 1) {
        throw new IllegalStateException("several sessions of " + role + " match: " + matching);
      }
      if (matching.size() == 1) {
        return matching.get(0);
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("no session of " + role + " got there within " + PATIENCE + "; sessions: "
            + of(admin, role));
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a session", e);
      }
    }
  }

  /**
   * Ends the session with {@code pg_terminate_backend}, as an operator or a crash would (its client
   * gets SQLSTATE 57P01, or a broken connection), and returns once its process has exited.
   *
   * @throws IllegalStateException if there was no such session
   */
  public static void terminate(DataSource admin, int pid) {
    try (Connection c = admin.getConnection()) {
      if (!Jdbc.rows(c, "select pg_terminate_backend(?, 30000)", pid).equals(List.of("t"))) {
        throw new IllegalStateException("no session with pid " + pid + " to terminate");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot terminate session " + pid, e);
    }
  }
}
