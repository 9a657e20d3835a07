package io.crmkit.campaigns.internal;

import io.crmkit.campaigns.CampaignRunner;
import io.crmkit.campaigns.CampaignStatus;
import io.crmkit.campaigns.SkipReason;
import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.CrmException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.whatsapp.OutgoingMessage;
import io.crmkit.whatsapp.SendResult;
import io.crmkit.whatsapp.WhatsAppGateway;
import io.crmkit.whatsapp.WhatsAppProfiles;
import io.crmkit.whatsapp.WhatsAppSender;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CampaignRunner}: the scheduled campaigns whose time has come started, then a claim across
 * tenants, then for each recipient three steps, the middle
 * one outside any transaction: mark it {@code sending} with a new attempt id and commit; call the
 * gateway with the attempt id as callback data; record the outcome ({@link SendOutcomes}).
 */
final class SqlCampaignRunner implements CampaignRunner {
  /** The system actor the runner acts as in each tenant. */
  static final String ACTOR = "campaign-runner";
  private static final Logger log = LoggerFactory.getLogger(SqlCampaignRunner.class);

  private final Crm crm;
  private final Duration lease;

  SqlCampaignRunner(Crm crm, Duration lease) {
    this.crm = Objects.requireNonNull(crm, "crm");
    this.lease = Objects.requireNonNull(lease, "lease");
  }

  @Override
  public int runOnce(int max) {
    Inputs.pageSize("max", max, MAX_BATCH);
    startDue(max);
    UUID token = UUID.randomUUID();
    List<RunnerRows.Claimed> claimed = TenantWork.crossTenant(crm,
        tx -> tx.mapper(RunnerMapper.class).claim(token, (int) lease.toSeconds(), max));
    WhatsAppGateway gateway = crm.service(WhatsAppGateway.class);
    int handled = 0;
    for (RunnerRows.Claimed item : claimed) {
      try {
        handled += send(gateway, token, item) ? 1 : 0;
      } catch (CrmException e) {
        // The recipient keeps its lease or its sending mark: its lease ends, and the claim after
        // it takes it again (pending) or calls it unknown (sending). The others go on.
        log.warn("campaign {} of organization {}: recipient {} not handled now: {}", item.campaignId,
            item.organizationId, item.recipientId, e.toString());
      }
    }
    return handled;
  }

  /** Starts the scheduled campaigns whose time has come, each in its own tenant. */
  private void startDue(int max) {
    for (RunnerRows.Claimed due : TenantWork.crossTenant(crm, tx -> tx.mapper(RunnerMapper.class).dueScheduled(max))) {
      try {
        CampaignLifecycle.startScheduled(crm.tenant(due.organizationId).asSystem(ACTOR), due.campaignId);
      } catch (CrmException e) {
        log.warn("scheduled campaign {} of organization {} not started now: {}", due.campaignId, due.organizationId,
            e.toString());
      }
    }
  }

  /** One recipient: whether it is done with (sent, failed or unknown), not given back or to be tried again. */
  private boolean send(WhatsAppGateway gateway, UUID token, RunnerRows.Claimed item) {
    TenantScope scope = crm.tenant(item.organizationId).asSystem(ACTOR);
    UUID attempt = UUID.randomUUID();
    Prepared prepared = TenantWork.call(scope, tx -> {
      RunnerMapper runner = tx.mapper(RunnerMapper.class);
      RunnerRows.SendContext context = runner.sendContext(tx.organizationId(), item.recipientId, token);
      if (context == null) {
        return null;
      }
      if (context.campaignStatus != CampaignStatus.RUNNING) {
        runner.release(tx.organizationId(), item.recipientId, token);
        return null;
      }
      OptOutMapper optOuts = tx.mapper(OptOutMapper.class);
      SkipReason skip = context.optedOut ? SkipReason.OPTED_OUT
          : context.windowClosed ? SkipReason.WINDOW_CLOSED : null;
      if (skip != null) {
        // Opted out since it was added, or free-form text outside the user's 24 hours: never sent.
        optOuts.skipAtSend(tx.organizationId(), item.recipientId, skip.databaseName());
        optOuts.countSkipped(tx.organizationId(), context.campaignId);
        runner.completeIfDone(tx.organizationId(), context.campaignId, tx.now());
        return null;
      }
      OutgoingMessage message;
      try {
        message = CampaignInputs.render(ContentCodec.read(context.messageTemplate, context.template),
            Placeholders.Values.of(context));
      } catch (ValidationException e) {
        // The customer changed since the start: this one fails for good, the others go on.
        runner.markSending(tx.organizationId(), item.recipientId, token, attempt, (int) lease.toSeconds());
        SendOutcomes.record(tx, context.campaignId, item.recipientId, attempt, context.attempts + 1,
            SendOutcomes.rendering(e));
        return null;
      }
      Optional<WhatsAppSender> sender = tx.scope().service(WhatsAppProfiles.class).sender(context.profileId);
      if (sender.isEmpty()) {
        runner.release(tx.organizationId(), item.recipientId, token);
        runner.pause(tx.organizationId(), context.campaignId, "its WhatsApp profile is deactivated or has no session");
        return null;
      }
      runner.markSending(tx.organizationId(), item.recipientId, token, attempt, (int) lease.toSeconds());
      return new Prepared(context.campaignId, context.attempts + 1, sender.get(), message);
    });
    if (prepared == null) {
      return false;
    }
    SendResult result;
    try {
      result = gateway.send(prepared.sender(), prepared.message(), SendOutcomes.TAG_PREFIX + attempt);
    } catch (RuntimeException e) {
      // The gateway broke its contract (it answers, never throws): whether WhatsApp took the
      // message is not known.
      result = new SendResult.Unknown("the gateway threw " + e.getClass().getSimpleName());
    }
    SendResult outcome = result;
    return TenantWork.call(scope,
        tx -> SendOutcomes.record(tx, prepared.campaignId(), item.recipientId, attempt, prepared.attempts(), outcome));
  }

  /** What the first step leaves for the call. */
  private record Prepared(UUID campaignId, int attempts, WhatsAppSender sender, OutgoingMessage message) {}
}
