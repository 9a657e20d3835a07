package io.crmkit.core;

/**
 * Work done in one tenant transaction; see {@link TenantScope#inTransaction(TransactionCallback)}.
 *
 * @param <R> the result
 * @param <X> the checked exception the work may throw, carried to the caller
 */
@FunctionalInterface
public interface TransactionCallback<R, X extends Exception> {
  /** Does the work with {@code tx}, the scope bound to the open transaction; use it, not a captured scope. */
  R inTransaction(TenantScope tx) throws X;
}
