package io.crmkit.ticketing;

import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.spi.CrmModule;
import io.crmkit.core.spi.ModuleContext;
import io.crmkit.ticketing.spi.ConversationLinks;
import io.crmkit.ticketing.spi.TicketReplyChannel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A bridge as crm-ticketing-whatsapp is one, for tests without crm-whatsapp: during its install it
 * offers {@link ConversationLinks} over the conversations a test declares and, unless built
 * without, a {@link TicketReplyChannel} that records each reply with what the comment's own
 * transaction shows of it. Given to {@code Crm.builder().module(…)}; never found by ServiceLoader.
 */
final class FakeBridgeModule implements CrmModule {
  private final boolean replies;
  private final Map<UUID, Optional<UUID>> conversations = new ConcurrentHashMap<>();
  final List<Sent> sent = new CopyOnWriteArrayList<>();
  volatile boolean refuseSends;

  /**
   * A reply the channel was given.
   *
   * @param ticket the ticket
   * @param reply the comment
   * @param commentsInItsTransaction the ticket's public comments as the comment's transaction shows them
   */
  record Sent(Ticket ticket, TicketComment reply, List<String> commentsInItsTransaction) {}

  private FakeBridgeModule(boolean replies) {
    this.replies = replies;
  }

  /** Offers both hooks. */
  static FakeBridgeModule withReplies() {
    return new FakeBridgeModule(true);
  }

  /** Offers conversation links only. */
  static FakeBridgeModule linksOnly() {
    return new FakeBridgeModule(false);
  }

  /** Declares conversation {@code id}, of customer {@code customer} (null: none). */
  UUID conversation(UUID customer) {
    UUID id = UUID.randomUUID();
    conversations.put(id, Optional.ofNullable(customer));
    return id;
  }

  @Override
  public String name() {
    return "fake_bridge";
  }

  @Override
  public List<String> dependsOn() {
    return List.of("ticketing");
  }

  @Override
  public void install(ModuleContext context) {
    context.extension(ConversationLinks.class, (tx, conversationId) -> {
      Optional<UUID> customer = conversations.get(conversationId);
      if (customer == null) {
        throw new NotFoundException("conversation", conversationId);
      }
      return customer;
    });
    if (replies) {
      context.extension(TicketReplyChannel.class, (tx, ticket, reply) -> {
        if (refuseSends) {
          throw new IllegalStateException("the provider refused the reply");
        }
        List<String> seen = tx.scope().service(TicketService.class).comments(ticket.id(), false, 50, Optional.empty())
            .items().stream().map(TicketComment::body).toList();
        sent.add(new Sent(ticket, reply, seen));
      });
    }
  }
}
