/**
 * Hooks that let other modules work with tickets without crm-ticketing depending on them:
 * {@link io.crmkit.ticketing.spi.ConversationLinks} (found with {@link java.util.ServiceLoader})
 * and {@link io.crmkit.ticketing.spi.TicketReplyChannel} (given to the builder).
 */
package io.crmkit.ticketing.spi;
