package io.crmkit.examples.quickstart;

import io.crmkit.core.TenantScope;
import io.crmkit.core.customers.Activity;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.pipeline.StageForecast;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.platform.Organization;
import io.crmkit.core.platform.Plan;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.users.User;
import io.crmkit.ticketing.Ticket;
import io.crmkit.ticketing.TicketCounts;
import io.crmkit.ticketing.TicketQuery;
import io.crmkit.ticketing.TicketService;
import io.crmkit.ticketing.TicketStatus;
import io.crmkit.whatsapp.ConversationQuery;
import io.crmkit.whatsapp.WhatsAppConversation;
import io.crmkit.whatsapp.WhatsAppInbox;
import io.crmkit.whatsapp.WhatsAppMessage;
import java.io.PrintStream;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What one tenant saw through its own scope.
 *
 * @param organization its organization record
 * @param plan its plan
 * @param limits its effective limits, in {@link Limit} order; an empty value means unlimited
 * @param users its users, ordered by email
 * @param usersOfOtherTenant how many of {@code users} belong to the other organization (0)
 * @param otherAdminById what looking up the other organization's admin by id found (nothing)
 * @param customers the customers it created, in creation order
 * @param forecast its pipeline forecast, in stage order
 * @param timeline the first customer's timeline, newest first
 * @param searches each search the example ran, with the names it found, best first
 * @param inbox its WhatsApp conversations, latest first
 * @param firstConversation the messages of the latest conversation, newest first
 * @param tickets its ticket board, newest first
 * @param ticketCounts its tickets by status, and unfinished ones by assignee
 */
public record TenantView(
    Organization organization,
    Plan plan,
    Map<Limit, OptionalLong> limits,
    List<User> users,
    long usersOfOtherTenant,
    Optional<User> otherAdminById,
    List<Customer> customers,
    List<StageForecast> forecast,
    List<Activity> timeline,
    Map<String, List<String>> searches,
    List<WhatsAppConversation> inbox,
    List<WhatsAppMessage> firstConversation,
    List<Ticket> tickets,
    TicketCounts ticketCounts) {

  /** Creates the view; the collections are copied. */
  public TenantView {
    Objects.requireNonNull(organization, "organization");
    Objects.requireNonNull(plan, "plan");
    limits = Collections.unmodifiableMap(new EnumMap<>(limits));
    users = List.copyOf(users);
    Objects.requireNonNull(otherAdminById, "otherAdminById");
    customers = List.copyOf(customers);
    forecast = List.copyOf(forecast);
    timeline = List.copyOf(timeline);
    searches = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(searches));
    inbox = List.copyOf(inbox);
    firstConversation = List.copyOf(firstConversation);
    tickets = List.copyOf(tickets);
    Objects.requireNonNull(ticketCounts, "ticketCounts");
  }

  /** The users' emails, ordered as {@link #users()}. */
  public List<String> userEmails() {
    return users.stream().map(User::email).toList();
  }

  /** Reads what {@code scope}'s tenant sees: its records, the other tenant's admin by id, its inbox and board. */
  static TenantView read(TenantScope scope, ProvisionedOrganization other, List<UUID> customerIds,
      WhatsAppInbox inbox, TicketService tickets) {
    List<WhatsAppConversation> conversations = inbox.conversations(ConversationQuery.all(), 10, Optional.empty())
        .items();
    List<WhatsAppMessage> messages = conversations.isEmpty() ? List.of()
        : inbox.messages(conversations.get(0).id(), 10, Optional.empty()).items();
    return read(scope, other, customerIds, conversations, messages,
        tickets.list(TicketQuery.all(), 20, Optional.empty()).items(), tickets.counts());
  }

  private static TenantView read(TenantScope scope, ProvisionedOrganization other, List<UUID> customerIds,
      List<WhatsAppConversation> inbox, List<WhatsAppMessage> firstConversation, List<Ticket> tickets,
      TicketCounts ticketCounts) {
    // One transaction, so everything is read at one moment.
    return scope.inTransaction(tx -> {
      List<User> users = tx.users().list();
      UUID otherId = other.organization().id();
      long ofOther = users.stream().filter(u -> u.organizationId().equals(otherId)).count();
      List<Customer> customers = customerIds.stream().map(id -> tx.customers().get(id).orElseThrow()).toList();
      return new TenantView(tx.organization().get(), tx.entitlements().plan(), tx.entitlements().limits(),
          users, ofOther, tx.users().get(other.admin().id()), customers, tx.pipeline().forecast(Optional.empty()),
          tx.customers().timeline(customerIds.get(0), 20, Optional.empty()).items(), searches(tx), inbox,
          firstConversation, tickets, ticketCounts);
    });
  }

  /**
   * Search folds Arabic spellings (احمد finds أحمد) and, after the customers that contain the
   * query, finds close spellings (kahtani finds Al-Qahtani); never another tenant's customers.
   */
  private static Map<String, List<String>> searches(TenantScope tx) {
    Map<String, List<String>> found = new java.util.LinkedHashMap<>();
    for (String query : List.of("احمد", "kahtani")) {
      found.put(query, tx.customers().search(query, 10, Optional.empty()).items().stream()
          .map(c -> c.fullName().orElse("")).toList());
    }
    return found;
  }

  /** Prints the organization, plan, limits, users, customers, forecast, timeline, searches, inbox and board. */
  void print(PrintStream out) {
    Organization org = organization();
    out.printf("%n%s (%s): region %s, time zone %s, %s%n", org.name(), org.slug(), org.defaultRegion(),
        org.timeZone(), org.status().name().toLowerCase(Locale.ROOT));
    out.printf("  plan: %s (%s)%n", plan().name(), plan().slug());
    out.printf("  limits: %s%n", limits().entrySet().stream()
        .map(e -> e.getKey().column() + "=" + (e.getValue().isPresent() ? e.getValue().getAsLong() : "unlimited"))
        .collect(Collectors.joining(", ")));
    out.printf("  users (%d):%n", users().size());
    for (User user : users()) {
      out.printf("    %-22s %-8s %s%n", user.email(), user.role().databaseName(), user.fullName().orElse(""));
    }
    out.printf("  customers (%d):%n", customers().size());
    for (Customer customer : customers()) {
      out.printf("    %-20s %-14s %s%n", customer.fullName().orElse(""), customer.whatsappPhone().orElse("-"),
          customer.email().orElse(""));
    }
    out.printf("  forecast:%n");
    for (StageForecast line : forecast()) {
      out.printf("    %-12s %2d customer(s)  value %s  weighted %s%n", line.stage().name(), line.customers(),
          line.valueMinor(), line.weightedValueMinor());
    }
    out.printf("  timeline of %s, newest first:%n",
        customers().isEmpty() ? "-" : customers().get(0).fullName().orElse(""));
    for (Activity activity : timeline()) {
      out.printf("    %-17s %s%n", activity.type(), activity.description().orElse(""));
    }
    for (Map.Entry<String, List<String>> search : searches().entrySet()) {
      out.printf("  search \"%s\" -> %s%n", search.getKey(),
          search.getValue().isEmpty() ? "nothing" : String.join(", ", search.getValue()));
    }
    out.printf("  WhatsApp inbox (%d):%n", inbox().size());
    for (WhatsAppConversation conversation : inbox()) {
      out.printf("    %-19s %-10s %d unread, customer %s%n",
          conversation.contactPhone().or(conversation::contactBsuid).orElse("-"),
          conversation.contactName().orElse(""), conversation.unreadCount(),
          conversation.customerId().map(UUID::toString).orElse("none"));
    }
    for (WhatsAppMessage message : firstConversation()) {
      out.printf("      %s %-8s %s%n", message.inbound() ? "<-" : "->", message.status(), message.body().orElse(""));
    }
    out.printf("  tickets (%s):%n", java.util.Arrays.stream(TicketStatus.values())
        .filter(status -> ticketCounts().byStatus().get(status) > 0)
        .map(status -> status.databaseName() + " " + ticketCounts().byStatus().get(status))
        .collect(Collectors.joining(", ")));
    for (Ticket ticket : tickets()) {
      out.printf("    %-18s %-11s %-6s %-11s %s%s%n", ticket.number(), ticket.status().databaseName(),
          ticket.priority().databaseName(), ticket.type().databaseName(), ticket.title(),
          ticket.conversationId().isPresent() ? "  [from WhatsApp]" : "");
    }
  }
}
