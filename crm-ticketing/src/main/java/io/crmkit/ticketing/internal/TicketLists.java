package io.crmkit.ticketing.internal;

import io.crmkit.core.Page;
import io.crmkit.core.TenantScope;
import io.crmkit.core.spi.Keyset;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.ticketing.Ticket;
import io.crmkit.ticketing.TicketCounts;
import io.crmkit.ticketing.TicketPriority;
import io.crmkit.ticketing.TicketQuery;
import io.crmkit.ticketing.TicketStatus;
import io.crmkit.ticketing.TicketType;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Lists of tickets, newest first by keyset, through the owner-defined {@code list_tickets} (title
 * text and tags are not leakproof under RLS), and a board's counts.
 */
final class TicketLists {
  private TicketLists() {}

  static Page<Ticket> list(TenantScope scope, TicketQuery query, int limit, Optional<String> cursor) {
    Objects.requireNonNull(query, "query");
    Optional<String> tag = TicketInputs.tagFilter(query.tag());
    Optional<String> text = TicketInputs.textFilter(query.text());
    TicketInputs.limit(limit, 200);
    Keyset after = Objects.requireNonNull(cursor, "cursor").map(Keyset::decode).orElse(null);
    TicketMapper.ListFilter filter = new TicketMapper.ListFilter(words(query.statuses(), TicketStatus::databaseName),
        words(query.priorities(), TicketPriority::databaseName), words(query.types(), TicketType::databaseName),
        query.assignee().orElse(null), query.unassigned(), query.customerId().orElse(null), tag.orElse(null),
        text.orElse(null), after == null ? null : after.at(),
        after == null ? null : after.id(), limit + 1);
    return TenantWork.call(scope, tx -> {
      List<Ticket> rows = tx.mapper(TicketMapper.class).list(filter).stream()
          .map(TicketRows.TicketRow::toTicket).toList();
      return Keyset.page(rows, limit, t -> new Keyset(t.createdAt(), t.id()));
    });
  }

  /** The database words of a filter's values; null (no filter) when there are none. */
  private static <E extends Enum<E>> List<String> words(Set<E> values, Function<E, String> word) {
    return values.isEmpty() ? null : values.stream().map(word).sorted().toList();
  }

  static TicketCounts counts(TenantScope scope) {
    return TenantWork.call(scope, tx -> {
      Map<TicketStatus, Long> byStatus = new EnumMap<>(TicketStatus.class);
      for (TicketStatus status : TicketStatus.values()) {
        byStatus.put(status, 0L);
      }
      Map<UUID, Long> byAssignee = new HashMap<>();
      long unassigned = 0;
      for (TicketRows.CountRow row : tx.mapper(TicketMapper.class).counts(tx.organizationId())) {
        byStatus.merge(row.status, row.count, Long::sum);
        if (!row.status.done()) {
          if (row.assignedTo == null) {
            unassigned += row.count;
          } else {
            byAssignee.merge(row.assignedTo, row.count, Long::sum);
          }
        }
      }
      return new TicketCounts(byStatus, byAssignee, unassigned);
    });
  }
}
