package io.crmkit.core.internal;

/** Work inside an open {@link Tx}. */
@FunctionalInterface
interface TxWork<R, X extends Exception> {
  /** Does the work. */
  R run(Tx tx) throws X;
}
