package io.crmkit.core.platform;

import io.crmkit.core.Change;
import io.crmkit.core.spi.Json;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;

/**
 * A partial change of an organization's settings: only the fields set or cleared change.
 *
 * <pre>{@code
 * scope.organization().update(OrganizationUpdate.builder().timeZone(ZoneId.of("Asia/Dubai")).build());
 * }</pre>
 *
 * @param name a new display name
 * @param domain a new domain, or none
 * @param defaultLanguage a new language tag
 * @param timeZone a new time zone
 * @param settings a new settings object, replacing the old one whole
 */
public record OrganizationUpdate(
    Change<String> name,
    Change<String> domain,
    Change<String> defaultLanguage,
    Change<ZoneId> timeZone,
    Change<Map<String, Object>> settings) {

  /**
   * Creates the update.
   *
   * @throws IllegalArgumentException for a field cleared that an organization always has
   */
  public OrganizationUpdate {
    Objects.requireNonNull(domain, "domain");
    required("name", name);
    required("defaultLanguage", defaultLanguage);
    required("timeZone", timeZone);
    required("settings", settings);
    settings = settings.map(Json::deepCopy);
  }

  private static void required(String field, Change<?> change) {
    if (Objects.requireNonNull(change, field) instanceof Change.Clear) {
      throw new IllegalArgumentException(field + " cannot be cleared: an organization always has one");
    }
  }

  /** Starts an update that changes nothing. */
  public static Builder builder() {
    return new Builder();
  }

  /** True if no field is set or cleared. */
  public boolean isEmpty() {
    return !name.changes() && !domain.changes() && !defaultLanguage.changes() && !timeZone.changes()
        && !settings.changes();
  }

  /** Builds an {@link OrganizationUpdate}. */
  public static final class Builder {
    private Change<String> name = Change.keep();
    private Change<String> domain = Change.keep();
    private Change<String> defaultLanguage = Change.keep();
    private Change<ZoneId> timeZone = Change.keep();
    private Change<Map<String, Object>> settings = Change.keep();

    private Builder() {}

    /** Changes the display name. */
    public Builder name(String name) {
      this.name = Change.to(Objects.requireNonNull(name, "name"));
      return this;
    }

    /** Changes the domain. */
    public Builder domain(String domain) {
      this.domain = Change.to(Objects.requireNonNull(domain, "domain"));
      return this;
    }

    /** Removes the domain. */
    public Builder clearDomain() {
      this.domain = Change.clear();
      return this;
    }

    /** Changes the default language tag. */
    public Builder defaultLanguage(String defaultLanguage) {
      this.defaultLanguage = Change.to(Objects.requireNonNull(defaultLanguage, "defaultLanguage"));
      return this;
    }

    /** Changes the time zone. */
    public Builder timeZone(ZoneId timeZone) {
      this.timeZone = Change.to(Objects.requireNonNull(timeZone, "timeZone"));
      return this;
    }

    /**
     * Replaces the settings object: a JSON object of strings, numbers, booleans, lists and maps,
     * copied deeply.
     *
     * @throws NullPointerException naming the path of a null key or value
     */
    public Builder settings(Map<String, Object> settings) {
      this.settings = Change.to(Json.deepCopy(Objects.requireNonNull(settings, "settings")));
      return this;
    }

    /** Builds the update. */
    public OrganizationUpdate build() {
      return new OrganizationUpdate(name, domain, defaultLanguage, timeZone, settings);
    }
  }
}
