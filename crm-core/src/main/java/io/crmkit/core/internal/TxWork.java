package io.crmkit.core.internal;

/** Work inside an open {@link Tx}. */
@FunctionalInterface
public interface TxWork<R, X extends Exception> {
  /** Does the work. */
  R run(Tx tx) throws X;
}
