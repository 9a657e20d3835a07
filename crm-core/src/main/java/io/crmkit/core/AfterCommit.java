package io.crmkit.core;

/**
 * The host's hook for work that must wait until the host's own transaction commits, used when
 * CRMKit runs inside a transaction the host holds ({@link TenantScope#joining(java.sql.Connection, AfterCommit)}).
 * For example, with Spring: {@code action -> TransactionSynchronizationManager.registerSynchronization(...)}.
 */
@FunctionalInterface
public interface AfterCommit {
  /** Runs {@code action} after the host's transaction commits, and never if it rolls back. */
  void register(Runnable action);
}
