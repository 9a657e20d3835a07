package io.crmkit.campaigns.internal;

import io.crmkit.campaigns.CampaignEvent;
import io.crmkit.campaigns.CampaignListener;
import io.crmkit.core.spi.TenantTransaction;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The module's listeners, told of each event after its transaction commits. */
final class CampaignEvents {
  private static final Logger log = LoggerFactory.getLogger(CampaignEvents.class);
  private final List<CampaignListener> listeners;

  CampaignEvents(List<CampaignListener> listeners) {
    this.listeners = List.copyOf(Objects.requireNonNull(listeners, "listeners"));
  }

  /** Tells {@code event} once {@code tx} commits (never if it rolls back). */
  void afterCommit(TenantTransaction tx, CampaignEvent event) {
    if (!listeners.isEmpty()) {
      tx.afterCommit(() -> tell(event));
    }
  }

  /** Tells {@code event} now, for what committed already. */
  void tell(CampaignEvent event) {
    for (CampaignListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        log.warn("campaign listener {} failed on {}", listener, event, e);
      }
    }
  }
}
