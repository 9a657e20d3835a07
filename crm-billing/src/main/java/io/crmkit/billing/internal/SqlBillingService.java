package io.crmkit.billing.internal;

import io.crmkit.billing.BillingInterval;
import io.crmkit.billing.BillingService;
import io.crmkit.billing.Invoice;
import io.crmkit.billing.PaymentMethod;
import io.crmkit.billing.Subscription;
import io.crmkit.billing.UsageRecord;
import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.core.users.Role;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@link BillingService} for one scope. Stripe is called outside any transaction: the customer is
 * made (once, by its idempotency key) and then stored; the sessions store nothing.
 */
final class SqlBillingService implements BillingService {
  private static final int MAX_INVOICES = 100;
  private static final int MAX_USAGE_PERIODS = 24;
  /** The statuses of a subscription that runs (and is charged). */
  private static final Set<String> RUNNING = Set.of("trialing", "active", "past_due");
  private final TenantScope scope;
  private final StripeGateway stripe;

  SqlBillingService(TenantScope scope, StripeGateway stripe) {
    this.scope = Objects.requireNonNull(scope, "scope");
    this.stripe = stripe;
  }

  @Override
  public URI checkout(String planSlug, BillingInterval interval, URI successUrl, URI cancelUrl) {
    Objects.requireNonNull(planSlug, "planSlug");
    Objects.requireNonNull(interval, "interval");
    url("successUrl", successUrl);
    url("cancelUrl", cancelUrl);
    String priceId = TenantWork.call(scope, tx -> {
      tx.requireRole("billing.checkout", Role.ADMIN);
      BillingRows.SubscriptionRow latest = tx.mapper(BillingMapper.class).latestSubscription(tx.organizationId());
      if (latest != null && RUNNING.contains(latest.status)) {
        // A second subscription would be charged beside the first: change the plan instead.
        throw new ConflictException("the organization has a running subscription (" + latest.status
            + "); change its plan instead");
      }
      return price(tx, planSlug, interval);
    });
    return stripe.checkout(scope.organizationId(), customer(), priceId, successUrl, cancelUrl);
  }

  @Override
  public void changePlan(String planSlug, BillingInterval interval) {
    Objects.requireNonNull(planSlug, "planSlug");
    Objects.requireNonNull(interval, "interval");
    PriceChange change = TenantWork.call(scope, tx -> {
      tx.requireRole("billing.changePlan", Role.ADMIN);
      BillingRows.SubscriptionRow current = running(tx);
      return new PriceChange(current.stripeSubscriptionId, current.stripeItemId, price(tx, planSlug, interval));
    });
    stripe.update(change.subscription(), change.item(), change.price(), null);
  }

  /** The subscription's item and the price it moves to. */
  private record PriceChange(String subscription, String item, String price) {}

  @Override
  public void cancelAtPeriodEnd(boolean cancel) {
    String subscription = TenantWork.call(scope, tx -> {
      tx.requireRole("billing.cancelAtPeriodEnd", Role.ADMIN);
      return running(tx).stripeSubscriptionId;
    });
    stripe.update(subscription, null, null, cancel);
  }

  /** The latest subscription, if it is one that runs (trialing, active or past due). */
  private static BillingRows.SubscriptionRow running(TenantTransaction tx) {
    BillingRows.SubscriptionRow latest = tx.mapper(BillingMapper.class).latestSubscription(tx.organizationId());
    if (latest == null || !RUNNING.contains(latest.status)) {
      throw new ConflictException("the organization has no running subscription"
          + (latest == null ? "" : " (the latest is " + latest.status + ")"));
    }
    return latest;
  }

  /** The plan's Stripe price for {@code interval}, from the catalog. */
  private static String price(TenantTransaction tx, String planSlug, BillingInterval interval) {
    BillingRows.Price price = tx.mapper(BillingMapper.class).priceOf(planSlug, interval.databaseName());
    if (price == null) {
      throw new ValidationException("planSlug", "is not a plan of the catalog one can subscribe to: " + planSlug);
    }
    if (price.priceId == null) {
      throw new ValidationException("interval", "the plan " + planSlug + " has no Stripe price for "
          + interval.databaseName() + " billing");
    }
    return price.priceId;
  }

  @Override
  public URI portal(URI returnUrl) {
    url("returnUrl", returnUrl);
    TenantWork.call(scope, tx -> tx.requireRole("billing.portal", Role.ADMIN));
    return stripe.portal(customer(), returnUrl);
  }

  /** The organization's Stripe customer, made and stored at the first call. */
  private String customer() {
    UUID organizationId = scope.organizationId();
    String known = TenantWork.call(scope, tx -> tx.mapper(BillingMapper.class).customerOf(organizationId));
    if (known != null) {
      return known;
    }
    String made = stripe.findOrCreateCustomer(organizationId, scope.organization().get().name());
    return TenantWork.call(scope, tx -> {
      BillingMapper billing = tx.mapper(BillingMapper.class);
      billing.insertCustomer(organizationId, made);
      return billing.customerOf(organizationId);
    });
  }

  private static void url(String field, URI url) {
    Objects.requireNonNull(url, field);
    if (!url.isAbsolute() || !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))
        || url.getHost() == null) {
      throw new ValidationException(field, "must be an absolute http(s) URL");
    }
  }

  @Override
  public Optional<Subscription> subscription() {
    return TenantWork.call(scope, tx -> Optional.ofNullable(tx.mapper(BillingMapper.class)
        .latestSubscription(tx.organizationId())).map(BillingRows.SubscriptionRow::toSubscription));
  }

  @Override
  public List<Invoice> invoices(int limit) {
    Inputs.pageSize("limit", limit, MAX_INVOICES);
    return TenantWork.call(scope, tx -> tx.mapper(BillingMapper.class).invoices(tx.organizationId(), limit).stream()
        .map(BillingRows.InvoiceRow::toInvoice).toList());
  }

  @Override
  public List<PaymentMethod> paymentMethods() {
    return TenantWork.call(scope, tx -> tx.mapper(BillingMapper.class).paymentMethods(tx.organizationId()).stream()
        .map(BillingRows.PaymentMethodRow::toPaymentMethod).toList());
  }

  @Override
  public List<UsageRecord> usage(int periods) {
    Inputs.pageSize("periods", periods, MAX_USAGE_PERIODS);
    return TenantWork.call(scope, tx -> tx.mapper(UsageMapper.class).usage(tx.organizationId(), periods).stream()
        .map(UsageRows.Usage::toRecord)
        .sorted(Comparator.comparing(UsageRecord::periodStart).reversed().thenComparing(UsageRecord::metric))
        .toList());
  }
}
