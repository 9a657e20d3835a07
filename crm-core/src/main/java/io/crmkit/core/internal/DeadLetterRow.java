package io.crmkit.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.core.DeadLetter;
import io.crmkit.core.spi.Keyset;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A row of dead_letters, filled by MyBatis by column name. */
final class DeadLetterRow {
  UUID id;
  String source;
  String itemKey;
  JsonNode item;
  String reason;
  int attempts;
  Instant failedAt;
  Instant lastReplayedAt;

  DeadLetter toDeadLetter() {
    return new DeadLetter(id, source, itemKey, item.toString(), reason, attempts, failedAt,
        Optional.ofNullable(lastReplayedAt));
  }

  static Keyset position(DeadLetter letter) {
    return new Keyset(letter.failedAt(), letter.id());
  }
}
