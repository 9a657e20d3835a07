package io.crmkit.campaigns;

import io.crmkit.campaigns.internal.CampaignsInstallation;
import io.crmkit.campaigns.internal.CampaignsSettings;
import io.crmkit.core.spi.CrmModule;
import io.crmkit.core.spi.ModuleContext;
import io.crmkit.core.spi.TenantTransaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * crm-campaigns as a module of a {@link io.crmkit.core.Crm}: found on the class path with its
 * defaults, or given to the builder with settings of its own; it migrates its tables after core's
 * and crm-whatsapp's and offers each organization's {@link CampaignService}, reached from the
 * scope, and the {@link CampaignRunner}, reached from the Crm.
 *
 * <pre>{@code
 * Crm crm = Crm.builder().dataSource(ds).module(whatsApp)
 *     .module(CampaignsModule.builder().listener(event -> log.info("{}", event)).build())
 *     .build();
 * CampaignService campaigns = crm.tenant(orgId).as(userId).service(CampaignService.class);
 * }</pre>
 */
public final class CampaignsModule implements CrmModule {
  private final CampaignsSettings settings;

  /** The module with its defaults; {@code Crm} finds it with {@link java.util.ServiceLoader}. */
  public CampaignsModule() {
    this(CampaignsSettings.DEFAULTS);
  }

  private CampaignsModule(CampaignsSettings settings) {
    this.settings = settings;
  }

  /** A module with settings of its own, for {@code Crm.builder().module(…)}. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code "campaigns"}. */
  @Override
  public String name() {
    return "campaigns";
  }

  /** Core and crm-whatsapp: campaigns reference customers, users and WhatsApp profiles. */
  @Override
  public List<String> dependsOn() {
    return List.of("core", "whatsapp");
  }

  /** The mappers of campaigns, their recipients, the runner and opt-outs. */
  @Override
  public List<Class<?>> mappers() {
    return CampaignsInstallation.mappers();
  }

  /** Registers {@link CampaignService} as a tenant service and {@link CampaignRunner} on the Crm. */
  @Override
  public void install(ModuleContext context) {
    CampaignsInstallation.install(context, settings);
  }

  /** The duplicate's places in campaigns now reach the survivor. */
  @Override
  public void mergeCustomers(TenantTransaction tx, UUID survivor, UUID duplicate) {
    CampaignsInstallation.mergeCustomers(tx, survivor, duplicate);
  }

  /** Settings of the module; every one has a default. */
  public static final class Builder {
    private Duration lease = CampaignsSettings.DEFAULTS.lease();
    private Sleeper sleeper = CampaignsSettings.DEFAULTS.sleeper();
    private final List<CampaignListener> listeners = new ArrayList<>();

    private Builder() {}

    /**
     * How long a runner holds what it claimed before another runner may take it over (a send in
     * flight then becomes {@code unknown}): 2 minutes by default, 5 seconds to an hour. Longer
     * than a gateway call can take.
     */
    public Builder lease(Duration lease) {
      Objects.requireNonNull(lease, "lease");
      if (lease.compareTo(Duration.ofSeconds(5)) < 0 || lease.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("lease must be 5 seconds to an hour, was " + lease);
      }
      this.lease = lease;
      return this;
    }

    /** How runners wait for their send slots; {@code Thread::sleep} by default. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Adds a listener for campaigns' events, told after commit. */
    public Builder listener(CampaignListener listener) {
      this.listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** The module, for {@code Crm.builder().module(…)}. */
    public CampaignsModule build() {
      return new CampaignsModule(new CampaignsSettings(lease, sleeper, List.copyOf(listeners)));
    }
  }
}
