package io.crmkit.core.spi;

import io.crmkit.core.Actor;
import io.crmkit.core.TenantScope;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.users.Role;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A module's view of the tenant transaction {@link TenantWork#call} runs it in: its mappers (on
 * the runtime role's connection, the tenant set, row-level security on), who acts, and the
 * transaction's clock. Valid only inside that call, on its thread.
 */
public interface TenantTransaction extends ModuleTransaction {

  /** The organization the transaction is confined to. */
  UUID organizationId();

  /** Who acts. */
  Actor actor();

  /** The transaction's time, fixed for its whole length. */
  Instant now();

  /**
   * Refuses unless the actor is an active member with one of {@code roles}; system actors are
   * refused too. Reads the role afresh, except before the work's first statement in a transaction
   * the call opened: the call's entry check has just read it, and nothing was locked since.
   *
   * @throws io.crmkit.core.exception.ForbiddenException otherwise
   */
  Role requireRole(String operation, Role... roles);

  /**
   * Like {@link #requireRole} for members, while system actors (webhooks, jobs) pass.
   *
   * @throws io.crmkit.core.exception.ForbiddenException for a member without one of {@code roles}
   */
  void requireRoleUnlessSystem(String operation, Role... roles);

  /** The scope bound to this transaction: crm-core's services called on it join it. */
  TenantScope scope();

  /**
   * Whether the transaction commits as this work returns: true when the call opened it, false when
   * it joined a transaction the host commits (a {@link TenantScope#joining} scope, or a scope
   * bound by {@link TenantScope#inTransaction}, whose callback goes on after this work).
   */
  boolean commitsOnReturn();

  /**
   * Runs {@code statement} of {@code mapper} with {@code parameter}, one statement that returns
   * rows and the work's last, and returns its rows mapped as the statement's result map says. When
   * the transaction {@linkplain #commitsOnReturn commits on return}, its COMMIT goes to the server
   * with the statement, in the same round trip: the row locks the statement takes are then held
   * while it runs and commits, not also while its answer travels to the client and the client's
   * COMMIT travels back. On a row every transaction of an organization takes (a gapless counter)
   * that wait is what limits throughput. Otherwise the statement runs alone and the transaction
   * commits when its owner commits it.
   *
   * <p>If the statement fails, nothing commits, and the exception is thrown as for any statement.
   * A statement that must not commit in some case has to fail in it (raise an error): returning no
   * rows commits. A connection lost after the statement and its COMMIT were sent is a
   * {@link io.crmkit.core.exception.CommitOutcomeUnknownException} (the server may have committed
   * before it noticed), not a {@link io.crmkit.core.exception.RetryableException}. The rows are
   * read whole, whatever fetch size the host's driver sets, since a cursor ends at the COMMIT.
   * Once this returns, the transaction has committed: the work must return without another
   * statement, and {@code tx} refuses further use.
   *
   * @param mapper the mapper interface the statement belongs to, listed by a module
   * @param statement the statement's id in the mapper XML (its method name)
   * @param parameter its parameter object, as the mapper method would take it
   * @return the statement's rows, mapped (the transaction has committed when it returns)
   */
  <E> java.util.List<E> queryAndCommit(Class<?> mapper, String statement, Object parameter) throws SQLException;

  /** Runs {@code action} once the transaction has committed; never if it rolls back. */
  void afterCommit(Runnable action);

  /**
   * Takes {@code amount} of a usage counter within {@code limit} as the organization's plan and
   * custom limits give it, race-free (concurrent takers serialize on the counter's row); the
   * transaction's rollback gives it back.
   *
   * @param metric the counter's name, e.g. {@code "whatsapp_profiles"}
   * @param period the counter's period: {@code LocalDate.EPOCH} for running totals, the day or
   *     first day of the month in the organization's time zone for daily and monthly limits
   * @throws io.crmkit.core.exception.LimitExceededException if the result would pass the limit
   */
  void takeWithinLimit(String metric, LocalDate period, long amount, Limit limit);

  /**
   * Adds {@code amount} (positive) to a usage counter no limit bounds, such as
   * {@value #STORAGE_BYTES}; the transaction's rollback takes it back. crm-billing records the
   * counters as usage.
   */
  void count(String metric, LocalDate period, long amount);

  /** Gives back {@code amount} of a counter (what it counted is gone); never below zero. */
  void giveBack(String metric, LocalDate period, long amount);

  /**
   * The running total ({@code LocalDate.EPOCH}) of the bytes the organization's modules store for it
   * (WhatsApp media), which crm-billing records as storage used.
   */
  String STORAGE_BYTES = "storage_bytes";
}
