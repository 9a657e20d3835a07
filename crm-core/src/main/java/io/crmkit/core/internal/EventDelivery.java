package io.crmkit.core.internal;

import io.crmkit.core.CrmEvent;
import io.crmkit.core.CrmListener;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to the host's in-process listeners, after the transaction that published them
 * committed ({@link Tx#publish}): each listener in turn, one failing never keeping the others from
 * the event or turning the committed call into a failure.
 */
final class EventDelivery {
  private static final Logger log = LoggerFactory.getLogger(EventDelivery.class);

  private final List<CrmListener> listeners;

  EventDelivery(List<CrmListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /** Whether any listener is registered; without one, no event is even kept for the commit. */
  boolean hasListeners() {
    return !listeners.isEmpty();
  }

  void deliver(CrmEvent event) {
    for (CrmListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        log.warn("listener {} failed on {} (the transaction stays committed)", listener, event.getClass().getSimpleName(), e);
      }
    }
  }
}
