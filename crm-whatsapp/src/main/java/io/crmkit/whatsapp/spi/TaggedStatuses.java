package io.crmkit.whatsapp.spi;

import io.crmkit.core.spi.TenantTransaction;

/**
 * The extension point for modules that send through crm-whatsapp's gateway on their own (not as
 * inbox replies), with a callback tag of their own: WhatsApp gives the tag back in each status of
 * the message, and the webhook hands those statuses to the module that owns the tag's prefix,
 * instead of keeping them as statuses of no reply. Offered in a module's
 * {@link io.crmkit.core.spi.CrmModule#install} with {@code context.extension(TaggedStatuses.class, …)}.
 */
public interface TaggedStatuses {
  /** The prefix of the tags this module gives its sends, e.g. {@code crmkit.campaign:}; unique per module. */
  String tagPrefix();

  /**
   * Applies one status of a message this module sent, in the transaction of the tenant the status's
   * number is routed to (which may not hold the tag's send: find it in this tenant only).
   */
  void apply(TenantTransaction tx, TaggedStatus status);
}
