package io.crmkit.billing;

import io.crmkit.billing.internal.BillingInstallation;
import io.crmkit.billing.internal.BillingSettings;
import io.crmkit.core.spi.CrmModule;
import io.crmkit.core.spi.ModuleContext;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * crm-billing as a module of a {@code Crm}, configured with the host's Stripe keys. It migrates its
 * tables after crm-core's and offers {@link BillingService} from the scope, {@link StripeWebhook}
 * and {@link BillingJobs} from the Crm. The organization's plan and subscription status follow its
 * latest subscription (see {@link BillingJobs} and the policy in ARCHITECTURE.md), so every module
 * obeys a downgrade through crm-core's limits; this needs the Crm's privileged migration
 * connection, as platform operations do. It talks to Stripe through a {@code StripeClient} of its own,
 * never the global {@code Stripe.apiKey}, so the host may use Stripe for itself.
 *
 * <pre>{@code
 * Crm crm = Crm.builder().dataSource(ds).migrationDataSource(adminDs)
 *     .module(BillingModule.builder()
 *         .secretKey(System.getenv("STRIPE_SECRET_KEY"))
 *         .webhookSecret(System.getenv("STRIPE_WEBHOOK_SECRET"))
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p>Found by {@link java.util.ServiceLoader} without settings, it still migrates its tables, but its
 * services say how to configure it when asked for ({@link IllegalStateException}): a Crm that does
 * not bill (a tool, a test, a second Crm of the host) builds without Stripe keys.
 */
public final class BillingModule implements CrmModule {
  private final BillingSettings settings;

  /** The module as {@link java.util.ServiceLoader} makes it, without settings. */
  public BillingModule() {
    this.settings = null;
  }

  private BillingModule(BillingSettings settings) {
    this.settings = settings;
  }

  /** A module to configure. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code "billing"}. */
  @Override
  public String name() {
    return "billing";
  }

  /** Core: billing belongs to organizations and reads the plan catalog. */
  @Override
  public List<String> dependsOn() {
    return List.of("core");
  }

  /** The module's mappers. */
  @Override
  public List<Class<?>> mappers() {
    return BillingInstallation.mappers();
  }

  /** Registers the services; without settings, each says how to configure the module. */
  @Override
  public void install(ModuleContext context) {
    if (settings == null) {
      BillingInstallation.unconfigured(context);
    } else {
      BillingInstallation.install(context, settings);
    }
  }

  @Override
  public String toString() {
    return "BillingModule[" + (settings == null ? "not configured" : settings) + "]";
  }

  /** Settings of the module. */
  public static final class Builder {
    private String secretKey;
    private String webhookSecret;
    private URI apiBase = URI.create("https://api.stripe.com");
    private Duration gracePeriod = Duration.ofDays(7);
    private String fallbackPlan = "free";
    private final Map<UsageMetric, String> meters = new EnumMap<>(UsageMetric.class);

    private Builder() {}

    /** The Stripe secret key ({@code sk_live_…}, {@code sk_test_…} or a restricted {@code rk_…}); required. */
    public Builder secretKey(String secretKey) {
      this.secretKey = Objects.requireNonNull(secretKey, "secretKey");
      return this;
    }

    /** The webhook endpoint's signing secret ({@code whsec_…}); without it there is no {@link StripeWebhook}. */
    public Builder webhookSecret(String webhookSecret) {
      this.webhookSecret = Objects.requireNonNull(webhookSecret, "webhookSecret");
      return this;
    }

    /** Where Stripe's API is: {@code https://api.stripe.com} unless a test points it at a local stub. */
    public Builder apiBase(URI apiBase) {
      this.apiBase = Objects.requireNonNull(apiBase, "apiBase");
      return this;
    }

    /**
     * How long a past-due subscription keeps its plan while Stripe retries the payment: 7 days by
     * default, 0 to 60 days. Then {@link BillingJobs#endGracePeriods} moves the organization to
     * the fallback plan.
     */
    public Builder gracePeriod(Duration gracePeriod) {
      Objects.requireNonNull(gracePeriod, "gracePeriod");
      if (gracePeriod.isNegative() || gracePeriod.compareTo(Duration.ofDays(60)) > 0) {
        throw new IllegalArgumentException("gracePeriod must be 0 to 60 days, was " + gracePeriod);
      }
      this.gracePeriod = gracePeriod;
      return this;
    }

    /** The plan of an organization whose subscription ended or went unpaid: {@code free} by default. */
    public Builder fallbackPlan(String planSlug) {
      this.fallbackPlan = Objects.requireNonNull(planSlug, "planSlug");
      return this;
    }

    /**
     * Reports {@code metric} to the Stripe billing meter whose event name is {@code eventName}
     * (its default payload keys: {@code stripe_customer_id} and {@code value}, summed), through
     * {@link BillingJobs#recordUsage} and {@link BillingJobs#reportUsage}. Give it for each metered
     * price's metric.
     *
     * @throws IllegalArgumentException for a level ({@link UsageMetric#counted()} false: a meter
     *     sums increments), an event name that is blank, over 100 characters or not one line, or a
     *     second meter of the metric
     */
    public Builder meter(UsageMetric metric, String eventName) {
      Objects.requireNonNull(metric, "metric");
      Objects.requireNonNull(eventName, "eventName");
      if (!metric.counted()) {
        throw new IllegalArgumentException(metric + " is a level, not counted: only MESSAGES_SENT, TICKETS_OPENED and"
            + " CAMPAIGNS_STARTED can be metered");
      }
      if (eventName.isBlank() || eventName.length() > 100 || !eventName.equals(eventName.strip())
          || eventName.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException("eventName must be a meter's event name: 1 to 100 characters, one line");
      }
      if (meters.containsKey(metric)) {
        throw new IllegalArgumentException(metric + " is metered already, by " + meters.get(metric));
      }
      meters.put(metric, eventName);
      return this;
    }

    /**
     * The configured module.
     *
     * @throws IllegalStateException without a secret key
     * @throws IllegalArgumentException for a key or secret of the wrong shape, or an API base that
     *     is not absolute http(s)
     */
    public BillingModule build() {
      if (secretKey == null) {
        throw new IllegalStateException("crm-billing needs a Stripe secret key: BillingModule.builder().secretKey(…)");
      }
      if (!secretKey.matches("(sk|rk)_(live|test)_[A-Za-z0-9]{1,250}")) {
        throw new IllegalArgumentException("secretKey must be a Stripe secret or restricted key (sk_… or rk_…)");
      }
      if (webhookSecret != null && !webhookSecret.matches("whsec_[A-Za-z0-9+/=]{1,250}")) {
        throw new IllegalArgumentException("webhookSecret must be a webhook signing secret (whsec_…)");
      }
      if (!apiBase.isAbsolute() || !("https".equals(apiBase.getScheme()) || "http".equals(apiBase.getScheme()))) {
        throw new IllegalArgumentException("apiBase must be an absolute http(s) URI, was " + apiBase);
      }
      return new BillingModule(new BillingSettings(secretKey, webhookSecret, apiBase, gracePeriod, fallbackPlan,
          Map.copyOf(meters)));
    }
  }
}
