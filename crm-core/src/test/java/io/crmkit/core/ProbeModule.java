package io.crmkit.core;

import io.crmkit.core.spi.CrmModule;
import io.crmkit.core.spi.ModuleContext;
import io.crmkit.core.spi.TenantWork;
import java.util.List;

/**
 * A module as a host configures one: a setting it needs ({@code greeting}), a tenant service, a
 * service across tenants, an extension point it reads and one it fills, and a mapper with no
 * tables of its own. Given to {@code Crm.builder().module(…)}; never found by ServiceLoader.
 */
public final class ProbeModule implements CrmModule {
  private final String greeting;

  /** A probe that greets with {@code greeting}; null leaves the setting out. */
  public ProbeModule(String greeting) {
    this.greeting = greeting;
  }

  @Override
  public String name() {
    return "probe";
  }

  @Override
  public List<String> dependsOn() {
    return List.of("core");
  }

  @Override
  public List<Class<?>> mappers() {
    return List.of(ProbeMapper.class);
  }

  @Override
  public void install(ModuleContext context) {
    if (greeting == null) {
      throw new IllegalStateException("the probe module needs a greeting: ProbeModule(\"hello\")");
    }
    context.extension(Suffix.class, () -> "!");
    context.tenantService(Probe.class, scope -> new Probe() {
      @Override
      public String greet() {
        return greeting + " " + scope.organizationId()
            + String.join("", context.extensions(Suffix.class).stream().map(Suffix::text).toList());
      }

      @Override
      public String transactionId() {
        return TenantWork.call(scope, tx -> tx.mapper(ProbeMapper.class).transactionId());
      }

      @Override
      public String tenantSetting() {
        return TenantWork.call(scope, tx -> tx.mapper(ProbeMapper.class).tenantSetting());
      }
    });
    context.crmService(ProbeJobs.class, () -> greeting);
    context.unavailable(ProbeWebhook.class, "the probe was configured without a webhook: give it one");
  }

  /** A service the probe has but was configured without. */
  public interface ProbeWebhook {}

  /** The probe's tenant service. */
  public interface Probe {
    /** The greeting, the scope's organization and the suffixes offered. */
    String greet();

    /** The current transaction's id, through the probe's mapper. */
    String transactionId();

    /** The tenant the transaction is set to, through the probe's mapper. */
    String tenantSetting();
  }

  /** The probe's service across tenants. */
  public interface ProbeJobs {
    /** The configured greeting. */
    String greeting();
  }

  /** An extension point the probe reads. */
  public interface Suffix {
    /** What to append. */
    String text();
  }
}
