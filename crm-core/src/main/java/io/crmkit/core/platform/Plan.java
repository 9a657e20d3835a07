package io.crmkit.core.platform;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * A plan of the catalog (the seed's "package"): prices in minor units, limits and features.
 *
 * @param id the plan's id
 * @param slug its stable key, e.g. {@code "professional"}
 * @param name its display name
 * @param currency ISO 4217 code of the prices
 * @param priceMonthlyMinor monthly price in minor units; empty for custom pricing
 * @param priceYearlyMinor yearly price in minor units; empty for custom pricing
 * @param limits every {@link Limit}; an empty value means unlimited
 * @param features the features the plan turns on
 * @param active whether new organizations may be put on it
 */
public record Plan(
    UUID id,
    String slug,
    String name,
    String currency,
    OptionalLong priceMonthlyMinor,
    OptionalLong priceYearlyMinor,
    Map<Limit, OptionalLong> limits,
    Set<String> features,
    boolean active) {

  /** Creates a plan; the limits must name every {@link Limit}. */
  public Plan {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(slug, "slug");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(priceMonthlyMinor, "priceMonthlyMinor");
    Objects.requireNonNull(priceYearlyMinor, "priceYearlyMinor");
    limits = Map.copyOf(limits);
    features = Set.copyOf(features);
    for (Limit limit : Limit.values()) {
      if (!limits.containsKey(limit)) {
        throw new IllegalArgumentException("plan " + slug + " lacks the limit " + limit.column());
      }
    }
  }

  /** The plan's value of one limit; empty means unlimited. */
  public OptionalLong limit(Limit limit) {
    return limits.get(limit);
  }
}
