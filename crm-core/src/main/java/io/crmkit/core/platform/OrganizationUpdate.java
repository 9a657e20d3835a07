package io.crmkit.core.platform;

import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A partial change of an organization's settings: only the fields that were set change.
 *
 * <pre>{@code
 * scope.organization().update(OrganizationUpdate.builder().timeZone(ZoneId.of("Asia/Dubai")).build());
 * }</pre>
 *
 * @param name new display name, if set
 * @param domain new domain, if set
 * @param defaultLanguage new language tag, if set
 * @param timeZone new time zone, if set
 * @param settings new settings object (replaces the old one whole), if set
 */
public record OrganizationUpdate(
    Optional<String> name,
    Optional<String> domain,
    Optional<String> defaultLanguage,
    Optional<ZoneId> timeZone,
    Optional<Map<String, Object>> settings) {

  /** Creates the update. */
  public OrganizationUpdate {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(defaultLanguage, "defaultLanguage");
    Objects.requireNonNull(timeZone, "timeZone");
    Objects.requireNonNull(settings, "settings");
    settings = settings.map(io.crmkit.core.internal.Json::deepCopy);
  }

  /** Starts an update that changes nothing. */
  public static Builder builder() {
    return new Builder();
  }

  /** True if no field is set. */
  public boolean isEmpty() {
    return name.isEmpty() && domain.isEmpty() && defaultLanguage.isEmpty() && timeZone.isEmpty()
        && settings.isEmpty();
  }

  /** Builds an {@link OrganizationUpdate}. */
  public static final class Builder {
    private String name;
    private String domain;
    private String defaultLanguage;
    private ZoneId timeZone;
    private Map<String, Object> settings;

    private Builder() {}

    /** Changes the display name. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Changes the domain. */
    public Builder domain(String domain) {
      this.domain = Objects.requireNonNull(domain, "domain");
      return this;
    }

    /** Changes the default language tag. */
    public Builder defaultLanguage(String defaultLanguage) {
      this.defaultLanguage = Objects.requireNonNull(defaultLanguage, "defaultLanguage");
      return this;
    }

    /** Changes the time zone. */
    public Builder timeZone(ZoneId timeZone) {
      this.timeZone = Objects.requireNonNull(timeZone, "timeZone");
      return this;
    }

    /**
     * Replaces the settings object: a JSON object of strings, numbers, booleans, lists and maps,
     * copied deeply.
     *
     * @throws NullPointerException naming the path of a null key or value
     */
    public Builder settings(Map<String, Object> settings) {
      this.settings = io.crmkit.core.internal.Json.deepCopy(Objects.requireNonNull(settings, "settings"));
      return this;
    }

    /** Builds the update. */
    public OrganizationUpdate build() {
      return new OrganizationUpdate(Optional.ofNullable(name), Optional.ofNullable(domain),
          Optional.ofNullable(defaultLanguage), Optional.ofNullable(timeZone), Optional.ofNullable(settings));
    }
  }
}
