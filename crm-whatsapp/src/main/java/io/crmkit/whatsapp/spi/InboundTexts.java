package io.crmkit.whatsapp.spi;

import io.crmkit.core.spi.TenantTransaction;

/**
 * The extension point for modules that act on what users write (crm-campaigns' opt-out words):
 * each new inbound text, button or list reply is handed over in the webhook's tenant transaction,
 * after it is stored (a redelivery is not handed over again). Offered in a module's
 * {@link io.crmkit.core.spi.CrmModule#install} with {@code context.extension(InboundTexts.class, …)}.
 */
public interface InboundTexts {
  /** Acts on {@code text}, in the transaction that stored it; a failure fails the message's delivery item. */
  void received(TenantTransaction tx, InboundText text);
}
