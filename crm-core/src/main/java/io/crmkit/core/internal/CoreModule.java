package io.crmkit.core.internal;

import io.crmkit.core.spi.CrmModule;
import java.util.List;

/** crm-core as a module: organizations, users, invitations, plans, counters. */
public final class CoreModule implements CrmModule {
  @Override
  public String name() {
    return "core";
  }

  @Override
  public List<String> dependsOn() {
    return List.of();
  }
}
