package io.crmkit.core;

import io.crmkit.core.exception.CrmException;
import io.crmkit.core.spi.CrmModule;
import io.crmkit.core.spi.TenantTransaction;
import java.util.List;
import java.util.UUID;

/**
 * A module as a later one (tickets, conversations) would be: its table points at customers, its
 * SQL is in its mapper's XML, and its merge hook moves the duplicate's rows. Found through
 * {@code mergetest-services/} only, by {@link CustomerMergeSpiTest}'s class loader;
 * {@link #failNextMerge} makes the hook fail once.
 */
public final class MergeTestModule implements CrmModule {
  static volatile boolean failNextMerge;

  @Override
  public String name() {
    return "mergetest";
  }

  @Override
  public List<String> dependsOn() {
    return List.of("core");
  }

  @Override
  public List<Class<?>> mappers() {
    return List.of(MergeTestMapper.class);
  }

  @Override
  public void mergeCustomers(TenantTransaction tx, UUID survivor, UUID duplicate) {
    tx.mapper(MergeTestMapper.class).moveDeals(tx.organizationId(), survivor, duplicate);
    if (failNextMerge) {
      failNextMerge = false;
      throw new CrmException("the module refuses this merge");
    }
  }
}
