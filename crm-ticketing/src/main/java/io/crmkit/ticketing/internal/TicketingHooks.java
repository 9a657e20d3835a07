package io.crmkit.ticketing.internal;

import io.crmkit.ticketing.spi.ConversationLinks;
import io.crmkit.ticketing.spi.TicketReplyChannel;
import java.util.Objects;
import java.util.Optional;

/**
 * What a bridge module offers crm-ticketing; without one, opening from a conversation and replying
 * to the customer are refused.
 *
 * @param links how tickets find a conversation's customer
 * @param replies where public replies sent to the customer go
 */
record TicketingHooks(Optional<ConversationLinks> links, Optional<TicketReplyChannel> replies) {
  /** Creates the hooks. */
  TicketingHooks {
    Objects.requireNonNull(links, "links");
    Objects.requireNonNull(replies, "replies");
  }
}
