package io.crmkit.core.internal;

import io.crmkit.core.Page;
import io.crmkit.core.spi.Inputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A page of a keyset-paginated customer list, from the {@code limit + 1} rows it queried: the
 * extra row only tells that there is a next page, whose cursor is the last returned row's
 * position.
 */
final class KeysetPage {
  /** The largest page a customer list, search or timeline returns. */
  static final int MAX_SIZE = 200;

  private KeysetPage() {}

  /** {@code limit}, checked to be a page size of 1 to {@value #MAX_SIZE}. */
  static int size(int limit) {
    return Inputs.pageSize("limit", limit, MAX_SIZE);
  }

  /** The first {@code limit} rows as items, and the cursor after the last of them if a row follows. */
  static <R, T> Page<T> of(List<R> rows, int limit, Function<R, T> item, Function<R, String> cursorAfter) {
    List<T> items = new ArrayList<>();
    for (int i = 0; i < Math.min(limit, rows.size()); i++) {
      items.add(item.apply(rows.get(i)));
    }
    Optional<String> next = rows.size() > limit ? Optional.of(cursorAfter.apply(rows.get(limit - 1))) : Optional.empty();
    return new Page<>(items, next);
  }
}
