/**
 * What other modules build on crm-whatsapp with (not for hosts): {@link
 * io.crmkit.whatsapp.spi.TaggedStatuses}, through which a module that sends on its own, with a
 * callback tag of its own, receives its messages' delivery statuses, and {@link
 * io.crmkit.whatsapp.spi.InboundTexts}, through which it reads what users write, {@link
 * io.crmkit.whatsapp.spi.MarketingPreferences}, through which it hears users stop or resume
 * marketing messages, and {@link io.crmkit.whatsapp.spi.SentMessages}, the daily counter of sends.
 */
package io.crmkit.whatsapp.spi;
