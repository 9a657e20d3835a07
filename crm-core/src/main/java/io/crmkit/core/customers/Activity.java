package io.crmkit.core.customers;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One entry of a customer's timeline.
 *
 * @param id the activity id
 * @param customerId the customer
 * @param type {@code message}, {@code call}, {@code note}, {@code stage_change}, {@code meeting},
 *     {@code email}, {@code customer_created}, {@code assigned}, or a type another module adds
 * @param description free text, if any
 * @param performedBy the member who acted, if a member did
 * @param performedBySystem the system actor that acted, if one did
 * @param metadata details (for {@code stage_change}: {@code from} and {@code to} stage ids), unmodifiable
 * @param createdAt when it happened
 */
public record Activity(
    UUID id,
    UUID customerId,
    String type,
    Optional<String> description,
    Optional<UUID> performedBy,
    Optional<String> performedBySystem,
    Map<String, Object> metadata,
    Instant createdAt) {

  /** Creates the record. */
  public Activity {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(performedBy, "performedBy");
    Objects.requireNonNull(performedBySystem, "performedBySystem");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
