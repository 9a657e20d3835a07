package io.crmkit.ticketing;

import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.ticketing.internal.TicketingHooks;
import io.crmkit.ticketing.internal.Tickets;
import io.crmkit.ticketing.spi.ConversationLinks;
import io.crmkit.ticketing.spi.TicketReplyChannel;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * crm-ticketing's entry: build one per {@link Crm} and take each tenant's {@link TicketService}
 * from it. Its tables are migrated by {@link Crm#migrate()} with the other modules on the class path.
 *
 * <pre>{@code
 * Ticketing ticketing = Ticketing.builder(crm).build();
 * Ticket ticket = ticketing.tickets(scope).open(TicketDraft.builder("Refund for A-1042").customer(id).build());
 * }</pre>
 */
public final class Ticketing {
  private final Crm crm;
  private final TicketingHooks hooks;

  private Ticketing(Builder builder) {
    this.crm = builder.crm;
    this.hooks = new TicketingHooks(ServiceLoader.load(ConversationLinks.class, Ticketing.class.getClassLoader())
        .findFirst(), builder.replies);
  }

  /** Starts a builder for {@code crm}. */
  public static Builder builder(Crm crm) {
    return new Builder(crm);
  }

  /** The tickets of {@code scope}'s organization, acting as its actor. */
  public TicketService tickets(TenantScope scope) {
    return new Tickets(Objects.requireNonNull(scope, "scope"), hooks);
  }

  /** The {@link Crm} this works on. */
  public Crm crm() {
    return crm;
  }

  /** Builds {@link Ticketing}. */
  public static final class Builder {
    private final Crm crm;
    private Optional<TicketReplyChannel> replies = Optional.empty();

    private Builder(Crm crm) {
      this.crm = Objects.requireNonNull(crm, "crm");
    }

    /**
     * Where public replies {@linkplain CommentDraft#sentToCustomer() sent to the customer} go
     * (crm-ticketing-whatsapp's {@code WhatsAppTicketReplies}); without one, such a reply is refused.
     */
    public Builder replyChannel(TicketReplyChannel channel) {
      this.replies = Optional.of(Objects.requireNonNull(channel, "channel"));
      return this;
    }

    /** The ticketing. */
    public Ticketing build() {
      return new Ticketing(this);
    }
  }
}
