package io.crmkit.core.internal;

import io.crmkit.core.DeadLetters;
import io.crmkit.core.TenantScope;
import io.crmkit.core.customers.CustomerService;
import io.crmkit.core.pipeline.Pipeline;
import io.crmkit.core.platform.Entitlements;
import io.crmkit.core.platform.OrganizationSettings;
import io.crmkit.core.platform.Platform;
import io.crmkit.core.spi.CrmModule;
import io.crmkit.core.spi.ModuleContext;
import io.crmkit.core.spi.ModuleTransaction;
import io.crmkit.core.users.UserService;
import java.util.List;
import java.util.UUID;

/** crm-core as a module: organizations, users, invitations, plans, counters, dead letters. */
public final class CoreModule implements CrmModule {
  @Override
  public String name() {
    return "core";
  }

  @Override
  public List<String> dependsOn() {
    return List.of();
  }

  @Override
  public List<Class<?>> mappers() {
    return List.of(TenantMapper.class, OrganizationMapper.class, PlanMapper.class, UserMapper.class,
        InvitationMapper.class, CrossTenantMapper.class, UsageCounterMapper.class, PipelineMapper.class,
        CustomerMapper.class, DeadLetterMapper.class);
  }

  /** crm-core's services, reached from the scope by type as every module's are. */
  @Override
  public void install(ModuleContext context) {
    context.tenantService(CustomerService.class, TenantScope::customers);
    context.tenantService(UserService.class, TenantScope::users);
    context.tenantService(Pipeline.class, TenantScope::pipeline);
    context.tenantService(OrganizationSettings.class, TenantScope::organization);
    context.tenantService(Entitlements.class, TenantScope::entitlements);
    context.tenantService(DeadLetters.class, scope -> new SqlDeadLetters((SqlTenantScope) scope));
    context.crmService(Platform.class, context.crm().platform());
  }

  /** A new organization gets the seed's six pipeline stages, Lead the default. */
  @Override
  public void provision(ModuleTransaction tx, UUID organizationId) {
    tx.mapper(PipelineMapper.class).insertDefaultStages(organizationId);
  }
}
