package io.crmkit.billing.internal;

import io.crmkit.billing.BillingJobs;
import io.crmkit.billing.MeterReport;
import io.crmkit.core.spi.Inputs;

/** {@link BillingJobs}: the grace-period and trial jobs, usage recording and meter reporting. */
final class SqlBillingJobs implements BillingJobs {
  private static final int MAX = 1000;
  private final BillingSync sync;
  private final UsageRecording usage;
  private final MeterReporting meters;
  private final boolean metered;

  SqlBillingJobs(BillingSync sync, UsageRecording usage, MeterReporting meters, boolean metered) {
    this.sync = sync;
    this.usage = usage;
    this.meters = meters;
    this.metered = metered;
  }

  @Override
  public int endGracePeriods(int max) {
    Inputs.pageSize("max", max, MAX);
    return sync.endGracePeriods(max);
  }

  @Override
  public int endTrials(int max) {
    Inputs.pageSize("max", max, MAX);
    return sync.endTrials(max);
  }

  @Override
  public int recordUsage(int max) {
    Inputs.pageSize("max", max, MAX);
    return usage.record(max);
  }

  @Override
  public MeterReport reportUsage(int max) {
    Inputs.pageSize("max", max, MAX);
    if (!metered) {
      throw new IllegalStateException("no usage is metered: give BillingModule.builder().meter(UsageMetric…, eventName)");
    }
    return meters.report(max);
  }
}
