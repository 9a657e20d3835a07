/**
 * Extension points that let another module work with tickets without crm-ticketing depending on
 * it: {@link io.crmkit.ticketing.spi.ConversationLinks} and
 * {@link io.crmkit.ticketing.spi.TicketReplyChannel}. A bridge module offers them during its
 * {@code install} with {@code context.extension(…)}; crm-ticketing reads them with
 * {@code context.extensions(…)} when it makes a {@link io.crmkit.ticketing.TicketService}.
 */
package io.crmkit.ticketing.spi;
