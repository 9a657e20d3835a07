package io.crmkit.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a keyset-paginated list.
 *
 * @param items the items, in the list's order
 * @param nextCursor an opaque token for the next page; empty on the last page
 * @param <T> the item type
 */
public record Page<T>(List<T> items, Optional<String> nextCursor) {
  /** Creates the page. */
  public Page {
    items = List.copyOf(items);
    Objects.requireNonNull(nextCursor, "nextCursor");
  }
}
