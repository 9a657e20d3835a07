package io.crmkit.core.platform;

import io.crmkit.core.exception.ValidationException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Platform#provision(OrganizationDraft)} needs to create an organization and its first
 * admin. Build it with {@link #builder()}:
 *
 * <pre>{@code
 * OrganizationDraft draft = OrganizationDraft.builder()
 *     .name("Acme Trading").slug("acme").plan("professional")
 *     .defaultRegion("SA").timeZone(ZoneId.of("Asia/Riyadh"))
 *     .admin("owner@acme.example", "Sara Al-Harbi", "host-user-42")
 *     .build();
 * }</pre>
 *
 * @param name display name, 1 to 255 characters
 * @param slug unique key: lowercase letters, digits and inner hyphens, at most 64
 * @param planSlug the plan (package) to start on
 * @param defaultRegion ISO 3166-1 alpha-2 country, required: phone numbers depend on it
 * @param timeZone IANA zone; UTC unless set
 * @param defaultLanguage language tag; {@code "ar"} unless set
 * @param adminEmail the first admin's email
 * @param adminFullName the first admin's name, if given
 * @param adminExternalRef the host's reference for the first admin, if given
 */
public record OrganizationDraft(
    String name,
    String slug,
    String planSlug,
    String defaultRegion,
    ZoneId timeZone,
    String defaultLanguage,
    String adminEmail,
    Optional<String> adminFullName,
    Optional<String> adminExternalRef) {

  /** Creates the draft; values are checked when it is provisioned. */
  public OrganizationDraft {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(slug, "slug");
    Objects.requireNonNull(planSlug, "planSlug");
    Objects.requireNonNull(defaultRegion, "defaultRegion");
    Objects.requireNonNull(timeZone, "timeZone");
    Objects.requireNonNull(defaultLanguage, "defaultLanguage");
    Objects.requireNonNull(adminEmail, "adminEmail");
    Objects.requireNonNull(adminFullName, "adminFullName");
    Objects.requireNonNull(adminExternalRef, "adminExternalRef");
  }

  /** Starts a draft with the defaults: plan {@code free}, time zone UTC, language {@code ar}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link OrganizationDraft}; name, slug, region and admin email are required. */
  public static final class Builder {
    private String name;
    private String slug;
    private String planSlug = "free";
    private String defaultRegion;
    private ZoneId timeZone = ZoneOffset.UTC;
    private String defaultLanguage = "ar";
    private String adminEmail;
    private String adminFullName;
    private String adminExternalRef;

    private Builder() {}

    /** Sets the display name. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Sets the unique slug. */
    public Builder slug(String slug) {
      this.slug = Objects.requireNonNull(slug, "slug");
      return this;
    }

    /** Sets the plan by slug, e.g. {@code "professional"}. */
    public Builder plan(String planSlug) {
      this.planSlug = Objects.requireNonNull(planSlug, "planSlug");
      return this;
    }

    /** Sets the ISO 3166-1 alpha-2 region, e.g. {@code "SA"}. */
    public Builder defaultRegion(String defaultRegion) {
      this.defaultRegion = Objects.requireNonNull(defaultRegion, "defaultRegion");
      return this;
    }

    /** Sets the time zone that daily and monthly limits count in. */
    public Builder timeZone(ZoneId timeZone) {
      this.timeZone = Objects.requireNonNull(timeZone, "timeZone");
      return this;
    }

    /** Sets the default language tag, e.g. {@code "en"}. */
    public Builder defaultLanguage(String defaultLanguage) {
      this.defaultLanguage = Objects.requireNonNull(defaultLanguage, "defaultLanguage");
      return this;
    }

    /** Sets the first admin by email only. */
    public Builder admin(String email) {
      this.adminEmail = Objects.requireNonNull(email, "email");
      return this;
    }

    /** Sets the first admin with a name and the host application's reference for the person. */
    public Builder admin(String email, String fullName, String externalRef) {
      this.adminEmail = Objects.requireNonNull(email, "email");
      this.adminFullName = Objects.requireNonNull(fullName, "fullName");
      this.adminExternalRef = Objects.requireNonNull(externalRef, "externalRef");
      return this;
    }

    /**
     * Builds the draft.
     *
     * @throws ValidationException naming the first required field that is missing
     */
    public OrganizationDraft build() {
      require(name, "name");
      require(slug, "slug");
      require(defaultRegion, "defaultRegion");
      require(adminEmail, "adminEmail");
      return new OrganizationDraft(name, slug, planSlug, defaultRegion, timeZone, defaultLanguage,
          adminEmail, Optional.ofNullable(adminFullName), Optional.ofNullable(adminExternalRef));
    }

    private static void require(Object value, String field) {
      if (value == null) {
        throw new ValidationException(field, "is required");
      }
    }
  }
}
