package io.crmkit.checks;

import io.crmkit.core.spi.CrmModule;
import java.util.List;

/**
 * A test-only module whose one migration breaks the tenancy rules on purpose (see its SQL beside
 * this class's package under {@code io/crmkit/tenancyfaults/db/migration}); given to
 * {@code Crm.builder().module(…)} only by the test that expects the check to name each breach.
 */
public final class TenancyFaultsModule implements CrmModule {
  @Override
  public String name() {
    return "tenancyfaults";
  }

  @Override
  public List<String> dependsOn() {
    return List.of("core");
  }
}
