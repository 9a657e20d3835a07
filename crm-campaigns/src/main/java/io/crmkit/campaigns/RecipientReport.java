package io.crmkit.campaigns;

import java.util.Map;
import java.util.Objects;

/**
 * What adding a selection did.
 *
 * @param added new recipients who will be sent to
 * @param merged entries that named a WhatsApp identity the campaign already had (or that the
 *     selection named twice): added once
 * @param skipped entries that get nothing, by reason (kept as skipped recipients, except ids of no
 *     customer)
 */
public record RecipientReport(int added, int merged, Map<SkipReason, Integer> skipped) {
  /** Creates the report; the counts are copied. */
  public RecipientReport {
    skipped = Map.copyOf(Objects.requireNonNull(skipped, "skipped"));
  }

  /** Every skipped recipient, whatever the reason. */
  public int skippedTotal() {
    return skipped.values().stream().mapToInt(Integer::intValue).sum();
  }
}
