package io.crmkit.core.internal;

import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.platform.Organization;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.OrganizationRef;
import io.crmkit.core.platform.Plan;
import io.crmkit.core.platform.Platform;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.platform.SubscriptionStatus;
import io.crmkit.core.spi.CrmModule;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.users.Role;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Pattern;

/** {@link Platform}: provisioning and plan changes as the owner role on the migration connection. */
public final class SqlPlatform implements Platform {
  /** The seed's trial length. */
  static final Duration TRIAL = Duration.ofDays(14);
  private static final Pattern PLAN_SLUG = Pattern.compile("[a-z0-9][a-z0-9_-]{0,49}");

  private final CrmRuntime runtime;

  /** Creates the platform door. */
  public SqlPlatform(CrmRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public ProvisionedOrganization provision(OrganizationDraft draft) {
    Objects.requireNonNull(draft, "draft");
    String name = Inputs.text("name", draft.name(), 255);
    String slug = Inputs.slug("slug", draft.slug());
    String region = Inputs.region("defaultRegion", draft.defaultRegion());
    String zone = Inputs.timeZone("timeZone", draft.timeZone());
    String language = Inputs.language("defaultLanguage", draft.defaultLanguage());
    String adminEmail = Inputs.email("adminEmail", draft.adminEmail());
    String adminName = draft.adminFullName().map(n -> Inputs.text("adminFullName", n, 255)).orElse(null);
    String adminRef = draft.adminExternalRef().map(r -> Inputs.text("adminExternalRef", r, 255)).orElse(null);
    String planSlug = planSlug(draft.planSlug());
    return runtime.asOwner(tx -> {
      Rows.PlanRow plan = tx.mapper(PlanMapper.class).findBySlug(planSlug);
      if (plan == null || !plan.isActive) {
        throw new NotFoundException("plan", planSlug);
      }
      OrganizationMapper organizations = tx.mapper(OrganizationMapper.class);
      if (!organizations.isTimeZone(zone)) {
        throw new ValidationException("timeZone", "the database does not know the time zone " + zone);
      }
      UUID existing = organizations.findIdBySlug(slug);
      if (existing != null) {
        throw new ConflictException("slug " + slug + " is taken", existing);
      }
      UUID orgId = UUID.randomUUID();
      organizations.insert(orgId, name, slug, plan.id, tx.now().plus(TRIAL), language, region, zone);
      UUID adminId = UUID.randomUUID();
      tx.mapper(UserMapper.class).insert(orgId, adminId, adminEmail, adminName, adminRef, Role.ADMIN, null, null);
      io.crmkit.core.spi.ModuleTransaction moduleTx = SqlTenantWork.ownerView(runtime, tx);
      for (CrmModule module : runtime.configuration().modules()) {
        module.provision(moduleTx, orgId);
      }
      Organization organization = organizations.find(orgId).toOrganization();
      return new ProvisionedOrganization(organization, tx.mapper(UserMapper.class).find(orgId, adminId).toUser());
    });
  }

  /** A plan's slug as the catalog writes them; a well-formed slug no plan has is not found later. */
  private static String planSlug(String value) {
    String slug = Inputs.text("planSlug", value, 50);
    if (!PLAN_SLUG.matcher(slug).matches()) {
      throw new ValidationException("planSlug", "must be 1-50 lowercase letters, digits, '_' or '-'");
    }
    return slug;
  }

  @Override
  public Optional<OrganizationRef> findBySlug(String slug) {
    String checked = Inputs.slug("slug", Objects.requireNonNull(slug, "slug"));
    return runtime.withoutTenant(tx -> Optional.ofNullable(
        tx.mapper(CrossTenantMapper.class).findOrganizationBySlug(checked))
        .map(row -> new OrganizationRef(row.id, row.name)));
  }

  @Override
  public List<Plan> plans() {
    return runtime.asOwner(tx -> tx.mapper(PlanMapper.class).all().stream().map(Rows.PlanRow::toPlan).toList());
  }

  @Override
  public Organization changePlan(UUID organizationId, String planSlug) {
    Objects.requireNonNull(organizationId, "organizationId");
    String checked = planSlug(Objects.requireNonNull(planSlug, "planSlug"));
    return runtime.asOwner(tx -> {
      Rows.PlanRow plan = tx.mapper(PlanMapper.class).findBySlug(checked);
      if (plan == null || !plan.isActive) {
        throw new NotFoundException("plan", checked);
      }
      OrganizationMapper organizations = tx.mapper(OrganizationMapper.class);
      // The same lock tenant seat changes take, so a plan change and an invitation serialize.
      organizations.lock(organizationId);
      if (organizations.setPackage(organizationId, plan.id) == 0) {
        throw new NotFoundException("organization", organizationId);
      }
      return organizations.find(organizationId).toOrganization();
    });
  }

  @Override
  public Organization changeSubscription(UUID organizationId, String planSlug, SubscriptionStatus status) {
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(status, "status");
    String checked = planSlug(Objects.requireNonNull(planSlug, "planSlug"));
    return runtime.asOwner(tx -> {
      // A retired (inactive) plan too: its subscribers keep it while their subscription runs.
      Rows.PlanRow plan = tx.mapper(PlanMapper.class).findBySlug(checked);
      if (plan == null) {
        throw new NotFoundException("plan", checked);
      }
      OrganizationMapper organizations = tx.mapper(OrganizationMapper.class);
      organizations.lock(organizationId);
      if (organizations.setSubscription(organizationId, plan.id, status.databaseName()) == 0) {
        throw new NotFoundException("organization", organizationId);
      }
      return organizations.find(organizationId).toOrganization();
    });
  }

  @Override
  public void setStripePrices(String planSlug, Optional<String> monthlyPriceId, Optional<String> yearlyPriceId) {
    String checked = planSlug(Objects.requireNonNull(planSlug, "planSlug"));
    String monthly = stripePrice("monthlyPriceId", Objects.requireNonNull(monthlyPriceId, "monthlyPriceId"));
    String yearly = stripePrice("yearlyPriceId", Objects.requireNonNull(yearlyPriceId, "yearlyPriceId"));
    if (monthly != null && monthly.equals(yearly)) {
      throw new ValidationException("yearlyPriceId", "must not be the monthly price");
    }
    runtime.asOwner(tx -> {
      PlanMapper plans = tx.mapper(PlanMapper.class);
      String other = plans.sellingElsewhere(checked, monthly, yearly);
      if (other != null) {
        throw new ValidationException(monthly != null ? "monthlyPriceId" : "yearlyPriceId",
            "the plan " + other + " sells that price already");
      }
      if (plans.setStripePrices(checked, monthly, yearly) == 0) {
        throw new NotFoundException("plan", checked);
      }
      return null;
    });
  }

  private static String stripePrice(String field, Optional<String> id) {
    if (id.isEmpty()) {
      return null;
    }
    String price = Inputs.text(field, id.get(), 255);
    if (!price.matches("price_[A-Za-z0-9_]{1,250}")) {
      throw new ValidationException(field, "must be a Stripe price's id (price_…)");
    }
    return price;
  }

  @Override
  public void setCustomLimit(UUID organizationId, Limit limit, OptionalLong value) {
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(value, "value");
    if (value.isPresent() && value.getAsLong() < 0) {
      throw new ValidationException("value", "must not be negative");
    }
    Long stored = value.isPresent() ? value.getAsLong() : null;
    runtime.asOwner(tx -> {
      tx.mapper(OrganizationMapper.class).lock(organizationId);
      if (tx.mapper(OrganizationMapper.class).setCustomLimit(organizationId, limit.column(), stored) == 0) {
        throw new NotFoundException("organization", organizationId);
      }
      return null;
    });
  }

  @Override
  public void clearCustomLimit(UUID organizationId, Limit limit) {
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(limit, "limit");
    runtime.asOwner(tx -> {
      tx.mapper(OrganizationMapper.class).lock(organizationId);
      if (tx.mapper(OrganizationMapper.class).clearCustomLimit(organizationId, limit.column()) == 0) {
        throw new NotFoundException("organization", organizationId);
      }
      return null;
    });
  }
}
