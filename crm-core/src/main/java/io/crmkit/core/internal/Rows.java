package io.crmkit.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.core.customers.Activity;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerSource;
import io.crmkit.core.exception.CrmException;
import io.crmkit.core.pipeline.SalesStage;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.platform.Organization;
import io.crmkit.core.platform.Plan;
import io.crmkit.core.platform.SubscriptionStatus;
import io.crmkit.core.spi.Json;
import io.crmkit.core.users.Invitation;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Mutable rows MyBatis fills by column name (underscores to camel case), turned into the public
 * immutable records here, so the records stay free of mapping concerns.
 */
final class Rows {
  private Rows() {}

  static final class OrganizationRow {
    UUID id;
    String name;
    String slug;
    String domain;
    UUID packageId;
    String planSlug;
    SubscriptionStatus subscriptionStatus;
    Instant trialEndsAt;
    String defaultLanguage;
    String defaultRegion;
    String timeZone;
    JsonNode settings;
    Instant createdAt;
    Instant updatedAt;

    Organization toOrganization() {
      return new Organization(id, name, slug, Optional.ofNullable(domain), planSlug, subscriptionStatus,
          Optional.ofNullable(trialEndsAt), defaultLanguage, defaultRegion, ZoneId.of(timeZone),
          Json.toMap(settings), createdAt, updatedAt);
    }
  }

  static final class UserRow {
    UUID organizationId;
    UUID id;
    String externalRef;
    String email;
    String fullName;
    Role role;
    boolean isActive;
    UUID invitedBy;
    Instant createdAt;

    User toUser() {
      return new User(id, organizationId, Optional.ofNullable(externalRef), email, Optional.ofNullable(fullName),
          role, isActive, Optional.ofNullable(invitedBy), createdAt);
    }
  }

  static final class InvitationRow {
    UUID organizationId;
    UUID id;
    String email;
    Role role;
    UUID invitedBy;
    Instant expiresAt;
    Instant acceptedAt;
    Instant createdAt;

    Invitation toInvitation() {
      return new Invitation(id, organizationId, email, role, Optional.ofNullable(invitedBy), expiresAt, createdAt);
    }
  }

  static final class PlanRow {
    UUID id;
    String slug;
    String name;
    String currency;
    Long priceMonthlyMinor;
    Long priceYearlyMinor;
    /** The whole catalog row, from which each {@link Limit} is read by its column: no second list of limits here. */
    JsonNode catalogRow;
    JsonNode features;
    boolean isActive;

    Plan toPlan() {
      Map<Limit, OptionalLong> limits = new EnumMap<>(Limit.class);
      for (Limit limit : Limit.values()) {
        JsonNode value = catalogRow.get(limit.column());
        if (value == null || !(value.isNull() || value.canConvertToLong())) {
          // A catalog without the limit's column is a broken schema, never "unlimited".
          throw new CrmException("the plan catalog has no column " + limit.column() + " (plan " + slug + ")");
        }
        limits.put(limit, value.isNull() ? OptionalLong.empty() : OptionalLong.of(value.longValue()));
      }
      Set<String> on = new HashSet<>();
      if (features != null) {
        features.fields().forEachRemaining(e -> {
          if (e.getValue().isBoolean() && e.getValue().booleanValue()) {
            on.add(e.getKey());
          }
        });
      }
      return new Plan(id, slug, name, currency, optional(priceMonthlyMinor), optional(priceYearlyMinor),
          limits, on, isActive);
    }
  }

  /** One row of get_organization_limits(). */
  static final class LimitRow {
    String limitName;
    Long limitValue;
    boolean unlimited;
    boolean fromCustom;
    String packageSlug;
  }

  static final class OrganizationRefRow {
    UUID id;
    String name;
  }

  static final class InvitationKeyRow {
    UUID organizationId;
    UUID invitationId;
  }

  static final class StageRow {
    UUID id;
    String name;
    int displayOrder;
    String color;
    int probability;
    boolean isDefault;

    SalesStage toStage() {
      return new SalesStage(id, name, displayOrder, color, probability, isDefault);
    }
  }

  /** What a new customer needs from its organization: the phone region and its stage (null: none). */
  static final class NewCustomerContext {
    String region;
    UUID stageId;
  }

  static final class CustomerRow {
    UUID organizationId;
    UUID id;
    String whatsappPhone;
    String fullName;
    String email;
    String phone;
    String company;
    String position;
    UUID salesStageId;
    int leadScore;
    long estimatedValueMinor;
    String currency;
    CustomerSource source;
    UUID assignedTo;
    List<String> tags;
    String notes;
    JsonNode customFields;
    String externalId;
    UUID createdBy;
    Instant createdAt;
    Instant updatedAt;
    String nameSort;
    /** Only from search: 0 when the text contains the query, 1 when a word is spelled close to it. */
    Integer matchTier;
    /** Only from search, tier 1: the word similarity. */
    Float matchScore;

    Customer toCustomer() {
      return new Customer(id, Optional.ofNullable(fullName), Optional.ofNullable(whatsappPhone),
          Optional.ofNullable(email), Optional.ofNullable(phone), Optional.ofNullable(company),
          Optional.ofNullable(position), salesStageId, leadScore, estimatedValueMinor, currency, source,
          Optional.ofNullable(assignedTo), tags, Optional.ofNullable(notes), Json.toMap(customFields),
          Optional.ofNullable(externalId), Optional.ofNullable(createdBy), createdAt, updatedAt);
    }
  }

  /** What an import matches a customer by: its id and unique keys (the email lower-cased). */
  static final class CustomerKey {
    UUID id;
    String whatsappPhone;
    String emailLower;
    String externalId;
  }

  static final class ActivityRow {
    UUID id;
    UUID customerId;
    String activityType;
    String description;
    UUID performedBy;
    String performedBySystem;
    JsonNode metadata;
    Instant createdAt;

    Activity toActivity() {
      return new Activity(id, customerId, activityType, Optional.ofNullable(description),
          Optional.ofNullable(performedBy), Optional.ofNullable(performedBySystem), Json.toMap(metadata), createdAt);
    }
  }

  static final class ForecastRow {
    UUID stageId;
    String currency;
    long customers;
    long valueMinor;
  }

  /** The first statement of a transaction: the tenant it set and the isolation level. */
  static final class ContextRow {
    String organizationId;
    String isolation;
  }

  static OptionalLong optional(Long value) {
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }
}
