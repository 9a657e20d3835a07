package io.crmkit.campaigns.internal;

import io.crmkit.campaigns.CampaignEvent;
import io.crmkit.campaigns.CampaignRunner;
import io.crmkit.campaigns.Sleeper;
import io.crmkit.core.Crm;
import io.crmkit.core.exception.CrmException;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.whatsapp.WhatsAppGateway;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CampaignRunner}: the scheduled campaigns whose time has come started, then a claim across
 * tenants, then each recipient in its send slot ({@link CampaignSend}), in its tenant's
 * transactions. Time comes from the Crm's clock, waits go through the {@link Sleeper}.
 */
final class SqlCampaignRunner implements CampaignRunner {
  /** The system actor the runner acts as in each tenant. */
  static final String ACTOR = "campaign-runner";
  private static final Logger log = LoggerFactory.getLogger(SqlCampaignRunner.class);
  private static final BooleanSupplier NEVER = () -> false;
  /** How far behind its slot a recipient may still be sent. */
  private static final Duration LATE = Duration.ofSeconds(1);

  private final Crm crm;
  private final CampaignsSettings settings;
  private final CampaignEvents events;

  SqlCampaignRunner(Crm crm, CampaignsSettings settings, CampaignEvents events) {
    this.crm = Objects.requireNonNull(crm, "crm");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.events = Objects.requireNonNull(events, "events");
  }

  @Override
  public int runOnce(int max) {
    Inputs.pageSize("max", max, MAX_BATCH);
    return batch(max, NEVER);
  }

  @Override
  public Workers start(Settings workers) {
    return RunnerWorkers.start(this, Objects.requireNonNull(workers, "settings"));
  }

  /**
   * One claim of up to {@code max} and its sends; once {@code stopping} says so, the recipients not
   * yet sent are given back.
   */
  int batch(int max, BooleanSupplier stopping) {
    startDue(max);
    // Lost leases and completions first, in a transaction of their own: a claim locks pace rows and
    // then campaigns, never the other way round.
    for (RunnerRows.Claimed done : TenantWork.crossTenant(crm,
        tx -> tx.mapper(RunnerMapper.class).sweep(tx.now()))) {
      events.tell(new CampaignEvent.Completed(done.organizationId, done.campaignId));
    }
    UUID lease = UUID.randomUUID();
    List<RunnerRows.Claimed> recipients = new ArrayList<>(TenantWork.crossTenant(crm,
        tx -> tx.mapper(RunnerMapper.class).claim(lease, (int) settings.lease().toSeconds(), max, tx.now())));
    recipients.sort(Comparator.comparing(item -> item.sendAt));
    CampaignSend send = new CampaignSend(crm.service(WhatsAppGateway.class), events,
        (int) settings.lease().toSeconds());
    int handled = 0;
    Instant waited = Instant.MIN;
    for (RunnerRows.Claimed item : recipients) {
      try {
        if (!stopped(stopping)) {
          waited = waitForSlot(item.sendAt, waited);
        }
        if (stopped(stopping) || crm.clock().instant().isAfter(item.sendAt.plus(LATE))) {
          // Stopping, or this runner fell behind its slots (a slow call): sent in a burst, they would
          // pass the profile's rate; given back, they get fresh slots at the next claim.
          release(lease, item);
          continue;
        }
        handled += send.send(crm.tenant(item.organizationId).asSystem(ACTOR), lease, item) ? 1 : 0;
      } catch (RuntimeException e) {
        // The recipient keeps its lease or its sending mark: its lease ends, and the claim after
        // it takes it again (pending) or calls it unknown (sending). The others go on.
        log.warn("campaign {} of organization {}: recipient {} not handled now: {}", item.campaignId,
            item.organizationId, item.recipientId, e.toString());
      }
    }
    return handled;
  }

  /** Whether to stop: asked to, or the thread was interrupted (its owner wants it back). */
  private static boolean stopped(BooleanSupplier stopping) {
    return stopping.getAsBoolean() || Thread.currentThread().isInterrupted();
  }

  /**
   * Waits until the recipient's send slot by the Crm's clock, counting from the later of now and the
   * slot already waited for (a clock that stands still, as in a host's tests, costs one gap per
   * send, not the whole way from the first slot each time).
   *
   * @return the slot waited for
   */
  private Instant waitForSlot(Instant slot, Instant waited) {
    Instant now = crm.clock().instant();
    Duration wait = Duration.between(now.isAfter(waited) ? now : waited, slot);
    if (wait.isNegative() || wait.isZero()) {
      return waited.isAfter(slot) ? waited : slot;
    }
    try {
      settings.sleeper().sleep(wait);
    } catch (InterruptedException e) {
      // The thread keeps its interrupt: the batch gives back what it has not sent.
      Thread.currentThread().interrupt();
    }
    return slot;
  }

  /** Gives a claimed recipient back at once, for any runner. */
  private void release(UUID lease, RunnerRows.Claimed item) {
    TenantWork.call(crm.tenant(item.organizationId).asSystem(ACTOR),
        tx -> tx.mapper(RunnerMapper.class).release(tx.organizationId(), item.recipientId, lease));
  }

  /** Starts the scheduled campaigns whose time has come, each in its own tenant. */
  private void startDue(int max) {
    List<RunnerRows.Claimed> due = TenantWork.crossTenant(crm,
        tx -> tx.mapper(RunnerMapper.class).dueScheduled(max, tx.now()));
    for (RunnerRows.Claimed campaign : due) {
      try {
        CampaignLifecycle.startScheduled(crm.tenant(campaign.organizationId).asSystem(ACTOR), events,
            campaign.campaignId);
      } catch (CrmException e) {
        log.warn("scheduled campaign {} of organization {} not started now: {}", campaign.campaignId,
            campaign.organizationId, e.toString());
      }
    }
  }
}
