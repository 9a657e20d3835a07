package io.crmkit.core.platform;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant, as its members see it.
 *
 * @param id the organization id (the tenant key of every row it owns)
 * @param name display name
 * @param slug unique, URL-safe key, e.g. {@code "acme"}
 * @param domain the organization's own domain, if any
 * @param planSlug the slug of its plan
 * @param status its subscription's status
 * @param trialEndsAt end of the trial, if it has one
 * @param defaultLanguage language tag for generated texts, {@code "ar"} unless set
 * @param defaultRegion ISO 3166-1 country that phone numbers without a country code belong to
 * @param timeZone the zone its daily and monthly limits count in
 * @param settings free-form settings (JSON object), unmodifiable
 * @param createdAt when it was provisioned
 * @param updatedAt when it last really changed
 */
public record Organization(
    UUID id,
    String name,
    String slug,
    Optional<String> domain,
    String planSlug,
    SubscriptionStatus status,
    Optional<Instant> trialEndsAt,
    String defaultLanguage,
    String defaultRegion,
    ZoneId timeZone,
    Map<String, Object> settings,
    Instant createdAt,
    Instant updatedAt) {

  /** Creates the record. */
  public Organization {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(slug, "slug");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(planSlug, "planSlug");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(trialEndsAt, "trialEndsAt");
    Objects.requireNonNull(defaultLanguage, "defaultLanguage");
    Objects.requireNonNull(defaultRegion, "defaultRegion");
    Objects.requireNonNull(timeZone, "timeZone");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
