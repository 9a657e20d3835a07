package io.crmkit.core.platform;

import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The platform operator's door, outside any tenant: provision organizations, change their plan
 * and limits. These run on the privileged migration connection as the owner role, which
 * row-level security does not confine; keep them out of reach of tenant users.
 */
public interface Platform {

  /**
   * Creates an organization on a 14-day trial with its first admin, and runs each module's
   * provisioning (default pipeline stages, …) in the same transaction.
   *
   * @throws ValidationException naming the first bad field (slug, region, time zone, plan slug, …)
   * @throws ConflictException if the slug is taken (naming that organization)
   * @throws NotFoundException if the plan does not exist or is inactive
   */
  ProvisionedOrganization provision(OrganizationDraft draft);

  /**
   * The organization of a slug, for routing; the slug is compared case-insensitively.
   *
   * @throws ValidationException if {@code slug} is not a slug (letters, digits and inner hyphens, at most 64)
   */
  Optional<OrganizationRef> findBySlug(String slug);

  /** The plans of the catalog, in display order. */
  List<Plan> plans();

  /**
   * Moves an organization to another plan. Existing usage above the new limits stays; new usage
   * is refused until it is back under them.
   *
   * @throws ValidationException if {@code planSlug} is not a plan's slug
   * @throws NotFoundException if the organization or plan does not exist
   */
  Organization changePlan(UUID organizationId, String planSlug);

  /**
   * Moves an organization to a plan and a subscription status at once, as a billing module does
   * when its subscription changes; usage above the new limits stays, as with {@link #changePlan}. A
   * retired (inactive) plan is accepted: its subscribers keep it while their subscription runs.
   *
   * @throws ValidationException if {@code planSlug} is not a plan's slug
   * @throws NotFoundException if the organization or plan does not exist
   */
  Organization changeSubscription(UUID organizationId, String planSlug, SubscriptionStatus status);

  /**
   * Sets the Stripe prices that sell a plan, monthly and yearly (empty: not sold that way), as a
   * billing module reads them: {@code setStripePrices("professional", Optional.of("price_1Q…"),
   * Optional.of("price_1R…"))}.
   *
   * @throws ValidationException for an id that is not a Stripe price's ({@code price_…}), the same
   *     price twice, or a price another plan sells already
   * @throws NotFoundException if no plan has the slug
   */
  void setStripePrices(String planSlug, Optional<String> monthlyPriceId, Optional<String> yearlyPriceId);

  /**
   * Sets one custom limit, which wins over the plan's: a value, or empty for unlimited.
   *
   * @throws ValidationException for a negative value
   * @throws NotFoundException if the organization does not exist
   */
  void setCustomLimit(UUID organizationId, Limit limit, OptionalLong value);

  /**
   * Removes a custom limit, so the plan's applies again.
   *
   * @throws NotFoundException if the organization does not exist
   */
  void clearCustomLimit(UUID organizationId, Limit limit);
}
