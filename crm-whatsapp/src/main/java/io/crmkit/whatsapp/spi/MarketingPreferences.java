package io.crmkit.whatsapp.spi;

import io.crmkit.core.spi.TenantTransaction;

/**
 * The extension point for modules that act on users' marketing preferences (crm-campaigns'
 * opt-outs): each {@code stop} or {@code resume} of Meta's {@code user_preferences} webhook is
 * handed over in the routed tenant's transaction. A redelivery is handed over again: act on the
 * latest by its time. Offered with {@code context.extension(MarketingPreferences.class, …)};
 * without one, such deliveries are acknowledged and stored nowhere.
 */
public interface MarketingPreferences {
  /** Acts on {@code preference}, in the transaction of its delivery. */
  void changed(TenantTransaction tx, MarketingPreference preference);
}
