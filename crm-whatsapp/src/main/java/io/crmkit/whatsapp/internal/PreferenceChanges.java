package io.crmkit.whatsapp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.whatsapp.spi.MarketingPreference;
import io.crmkit.whatsapp.spi.MarketingPreferences;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code user_preferences} change: each {@code marketing_messages} stop or resume handed to the
 * modules that offer {@link MarketingPreferences}, in the routed tenant's transaction. An entry
 * without a user or a known value, or of another category, is skipped with a log line.
 */
final class PreferenceChanges {
  private static final Logger log = LoggerFactory.getLogger(PreferenceChanges.class);
  private final Supplier<List<MarketingPreferences>> handlers;

  PreferenceChanges(Supplier<List<MarketingPreferences>> handlers) {
    this.handlers = handlers;
  }

  /** Whether any module listens: else a change is acknowledged without routing it. */
  boolean wanted() {
    return !handlers.get().isEmpty();
  }

  /** The change's preferences, read from its value, for {@code profileId}. */
  static List<MarketingPreference> read(UUID profileId, JsonNode value) {
    List<MarketingPreference> read = new ArrayList<>();
    for (JsonNode entry : value.path("user_preferences")) {
      String category = entry.path("category").asText("");
      String said = entry.path("value").asText("");
      Optional<String> phone = Identities.text(entry, "wa_id").map(Identities::phone);
      Optional<String> userId = Identities.text(entry, "user_id").map(Identities::bsuid);
      long seconds = entry.path("timestamp").asLong(-1);
      if (!"marketing_messages".equals(category) || !("stop".equals(said) || "resume".equals(said))
          || (phone.isEmpty() && userId.isEmpty()) || seconds < 0) {
        log.info("user_preferences entry for profile {} skipped: category {}, value {}", profileId, category, said);
        continue;
      }
      read.add(new MarketingPreference(profileId, phone, userId, "stop".equals(said),
          Instant.ofEpochSecond(seconds)));
    }
    return read;
  }

  /** Hands each preference of {@code value} to the modules, in {@code tx}. */
  void apply(TenantTransaction tx, UUID profileId, JsonNode value) {
    for (MarketingPreference preference : read(profileId, value)) {
      for (MarketingPreferences handler : handlers.get()) {
        handler.changed(tx, preference);
      }
    }
  }
}
