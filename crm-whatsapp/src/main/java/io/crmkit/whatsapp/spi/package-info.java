/**
 * What other modules build on crm-whatsapp with (not for hosts): {@link
 * io.crmkit.whatsapp.spi.TaggedStatuses}, through which a module that sends on its own, with a
 * callback tag of its own, receives its messages' delivery statuses, and {@link
 * io.crmkit.whatsapp.spi.InboundTexts}, through which it reads what users write.
 */
package io.crmkit.whatsapp.spi;
