package io.crmkit.core;

/**
 * Receives {@link CrmEvent}s after the transaction that caused them commits. Called on the thread
 * that committed; an exception it throws is logged and does not undo the committed work.
 */
@FunctionalInterface
public interface CrmListener {
  /** Handles one event. */
  void onEvent(CrmEvent event);
}
