package io.crmkit.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An item from outside (a webhook delivery's message or status, later a billing event) that failed
 * alone, the same way on every try, and was kept in its tenant instead of failing the delivery it
 * came in: see {@link DeadLetters}.
 *
 * @param id the letter's id
 * @param source who received the item and replays it, e.g. {@code whatsapp.webhook}
 * @param key the item's name within its source (a WhatsApp message's id); one letter per key
 * @param item the item as received, as JSON text, with what its source needs to replay it (text
 *     the database cannot store, such as NUL, removed)
 * @param reason why it failed last: the exception's type and message, never SQL
 * @param attempts how often it failed: 1, plus one for each failed replay
 * @param failedAt when it first failed
 * @param lastReplayedAt when a replay last failed, if one did
 */
public record DeadLetter(
    UUID id,
    String source,
    String key,
    String item,
    String reason,
    int attempts,
    Instant failedAt,
    Optional<Instant> lastReplayedAt) {

  /** Creates the record. */
  public DeadLetter {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(failedAt, "failedAt");
    Objects.requireNonNull(lastReplayedAt, "lastReplayedAt");
  }
}
