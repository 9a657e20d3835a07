package io.crmkit.core.internal;

import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.core.spi.CrmModule;
import io.crmkit.core.spi.DeadLetterReplayer;
import io.crmkit.core.spi.ModuleContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The services and extensions a {@code Crm}'s modules installed: filled while the Crm is built
 * (each module's {@link CrmModule#install}, in dependency order), read for the Crm's whole life.
 */
public final class ModuleRegistry {
  private final Map<Class<?>, Function<TenantScope, ?>> tenantServices = new ConcurrentHashMap<>();
  private final Map<Class<?>, Object> crmServices = new ConcurrentHashMap<>();
  private final Map<Class<?>, List<Object>> extensions = new ConcurrentHashMap<>();
  private final Map<Class<?>, String> providers = new ConcurrentHashMap<>();
  private final Map<Class<?>, String> unavailable = new ConcurrentHashMap<>();
  private final Map<String, DeadLetterReplayer> deadLetterSources = new ConcurrentHashMap<>();
  private final Map<String, String> sourceProviders = new ConcurrentHashMap<>();
  private volatile boolean sealed;
  private List<String> modules = List.of();

  /** Installs {@code modules}, in their order, on {@code crm}; the registry is sealed afterwards. */
  public void install(Crm crm, List<CrmModule> modules) {
    this.modules = modules.stream().map(CrmModule::name).toList();
    for (CrmModule module : modules) {
      module.install(new Context(crm, module.name()));
    }
    sealed = true;
  }

  /** The tenant service of {@code type} for {@code scope}. */
  <T> T tenantService(Class<T> type, TenantScope scope) {
    Function<TenantScope, ?> factory = tenantServices.get(Objects.requireNonNull(type, "type"));
    if (factory == null) {
      throw missing(type, crmServices.containsKey(type) ? "; it is a service across tenants: crm.service(…)" : "");
    }
    return type.cast(factory.apply(scope));
  }

  /** The service across tenants of {@code type}. */
  public <T> T crmService(Class<T> type) {
    Object service = crmServices.get(Objects.requireNonNull(type, "type"));
    if (service == null) {
      throw missing(type, tenantServices.containsKey(type) ? "; it is a tenant service: scope.service(…)" : "");
    }
    return type.cast(service);
  }

  /** The replayer a module registered for dead letters of {@code source}, if one did. */
  Optional<DeadLetterReplayer> deadLetterReplayer(String source) {
    return Optional.ofNullable(deadLetterSources.get(Objects.requireNonNull(source, "source")));
  }

  private RuntimeException missing(Class<?> type, String hint) {
    String reason = unavailable.get(type);
    if (reason != null) {
      return new IllegalStateException(reason);
    }
    return new IllegalArgumentException("no module of this Crm offers " + type.getName() + hint + " (modules: "
        + String.join(", ", modules) + "; add the module's artifact, and configure it with"
        + " Crm.builder().module(…) if it has settings)");
  }

  private void requireOpen(String module) {
    if (sealed) {
      throw new IllegalStateException("module " + module + " registered a service after the Crm was built");
    }
  }

  private final class Context implements ModuleContext {
    private final Crm crm;
    private final String module;

    Context(Crm crm, String module) {
      this.crm = crm;
      this.module = module;
    }

    @Override
    public Crm crm() {
      return crm;
    }

    @Override
    public <T> void tenantService(Class<T> type, Function<TenantScope, ? extends T> factory) {
      requireOpen(module);
      claim(type);
      tenantServices.put(type, Objects.requireNonNull(factory, "factory"));
    }

    @Override
    public <T> void crmService(Class<T> type, T service) {
      requireOpen(module);
      claim(type);
      crmServices.put(type, type.cast(Objects.requireNonNull(service, "service")));
    }

    private void claim(Class<?> type) {
      String other = providers.putIfAbsent(Objects.requireNonNull(type, "type"), module);
      if (other != null) {
        throw new IllegalStateException("modules " + other + " and " + module + " both offer " + type.getName());
      }
    }

    @Override
    public void unavailable(Class<?> type, String reason) {
      requireOpen(module);
      claim(type);
      unavailable.put(type, Objects.requireNonNull(reason, "reason"));
    }

    @Override
    public void deadLetterSource(String source, DeadLetterReplayer replayer) {
      requireOpen(module);
      DeadLetterRecords.checkSource(source);
      Objects.requireNonNull(replayer, "replayer");
      String other = sourceProviders.putIfAbsent(source, module);
      if (other != null) {
        throw new IllegalStateException("modules " + other + " and " + module + " both replay dead letters of "
            + source);
      }
      deadLetterSources.put(source, replayer);
    }

    @Override
    public <T> void extension(Class<T> type, T implementation) {
      requireOpen(module);
      extensions.computeIfAbsent(Objects.requireNonNull(type, "type"), t -> new java.util.concurrent.CopyOnWriteArrayList<>())
          .add(type.cast(Objects.requireNonNull(implementation, "implementation")));
    }

    @Override
    public <T> List<T> extensions(Class<T> type) {
      List<T> found = new ArrayList<>();
      for (Object o : extensions.getOrDefault(Objects.requireNonNull(type, "type"), List.of())) {
        found.add(type.cast(o));
      }
      return List.copyOf(found);
    }
  }
}
