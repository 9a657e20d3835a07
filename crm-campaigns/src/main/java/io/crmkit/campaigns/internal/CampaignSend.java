package io.crmkit.campaigns.internal;

import io.crmkit.campaigns.CampaignEvent;
import io.crmkit.campaigns.CampaignStatus;
import io.crmkit.campaigns.SkipReason;
import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.LimitExceededException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.whatsapp.OutgoingMessage;
import io.crmkit.whatsapp.SendResult;
import io.crmkit.whatsapp.WhatsAppGateway;
import io.crmkit.whatsapp.WhatsAppProfiles;
import io.crmkit.whatsapp.WhatsAppSender;
import io.crmkit.whatsapp.spi.SentMessages;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;

/**
 * One claimed recipient, in three steps, the middle one outside any transaction: check it and mark
 * it {@code sending} with a new attempt id, taking the day's limits, and commit; call the gateway
 * with the attempt id as callback data; record the outcome ({@link SendOutcomes}).
 */
final class CampaignSend {
  private final WhatsAppGateway gateway;
  private final CampaignEvents events;
  private final int leaseSeconds;

  CampaignSend(WhatsAppGateway gateway, CampaignEvents events, int leaseSeconds) {
    this.gateway = gateway;
    this.events = events;
    this.leaseSeconds = leaseSeconds;
  }

  /** Whether the recipient is done with (sent, failed, skipped or unknown), not given back or to be tried again. */
  boolean send(TenantScope scope, UUID lease, RunnerRows.Claimed item) {
    UUID attempt = UUID.randomUUID();
    Prepared prepared = TenantWork.call(scope, tx -> prepare(tx, lease, item, attempt));
    if (prepared == null) {
      return false;
    }
    if (prepared.done() != null) {
      return prepared.done();
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
    return TenantWork.call(scope, tx -> SendOutcomes.record(tx, events, prepared.attempt(), outcome));
  }

  private Prepared prepare(TenantTransaction tx, UUID lease, RunnerRows.Claimed item, UUID attemptId) {
    RunnerMapper runner = tx.mapper(RunnerMapper.class);
    RunnerRows.SendContext context = runner.sendContext(tx.organizationId(), item.recipientId, lease, tx.now());
    if (context == null) {
      return null;
    }
    if (context.campaignStatus != CampaignStatus.RUNNING || context.backingOff) {
      // Paused or stopped since the claim, or an earlier send of the batch hit WhatsApp's rate
      // limit: given back, due again when the claim finds it due.
      runner.release(tx.organizationId(), item.recipientId, lease);
      return null;
    }
    if (!context.bulkSender) {
      // The plan changed since the start (a downgrade, a subscription that ended): nothing more is
      // sent until an admin resumes it on a plan that has bulk_sender.
      runner.release(tx.organizationId(), item.recipientId, lease);
      SendOutcomes.pause(tx, events, context.campaignId, "the organization's plan no longer includes "
          + CampaignLifecycle.BULK_SENDER);
      return null;
    }
    ZoneId zone = ZoneId.of(context.timeZone);
    LocalDate day = LocalDate.ofInstant(tx.now(), zone);
    SendOutcomes.Attempt attempt = new SendOutcomes.Attempt(context.campaignId, item.recipientId, context.profileId,
        attemptId, context.attempts + 1, day);
    SkipReason skip = context.optedOut ? SkipReason.OPTED_OUT
        : context.windowClosed ? SkipReason.WINDOW_CLOSED : null;
    if (skip != null) {
      // Opted out since it was added, or free-form text outside the user's 24 hours: never sent.
      OptOutMapper optOuts = tx.mapper(OptOutMapper.class);
      optOuts.skipAtSend(tx.organizationId(), item.recipientId, skip.databaseName());
      optOuts.countSkipped(tx.organizationId(), context.campaignId);
      SendOutcomes.completeIfDone(tx, events, context.campaignId);
      return new Prepared(attempt, null, null, true);
    }
    OutgoingMessage message;
    try {
      message = CampaignInputs.render(ContentCodec.read(context.messageTemplate, context.template),
          Placeholders.Values.of(context));
    } catch (ValidationException e) {
      // The customer changed since the start: this one fails for good, the others go on.
      runner.markSending(tx.organizationId(), item.recipientId, lease, attemptId, leaseSeconds, tx.now());
      SendOutcomes.record(tx, events, attempt.withoutDay(), SendOutcomes.rendering(e));
      return new Prepared(attempt, null, null, true);
    }
    Optional<WhatsAppSender> sender = tx.scope().service(WhatsAppProfiles.class).sender(context.profileId);
    if (sender.isEmpty()) {
      runner.release(tx.organizationId(), item.recipientId, lease);
      SendOutcomes.pause(tx, events, context.campaignId, "its WhatsApp profile is deactivated or has no session");
      return null;
    }
    String limit = takeDailyLimits(tx, context, day);
    if (limit != null) {
      // Nothing more today: the campaign goes on by itself at the start of the organization's next day.
      runner.release(tx.organizationId(), item.recipientId, lease);
      Instant until = day.plusDays(1).atStartOfDay(zone).toInstant();
      if (runner.waitUntil(tx.organizationId(), context.campaignId, until, limit) > 0) {
        events.afterCommit(tx, new CampaignEvent.Waiting(tx.organizationId(), context.campaignId, limit, until));
      }
      return null;
    }
    runner.markSending(tx.organizationId(), item.recipientId, lease, attemptId, leaseSeconds, tx.now());
    return new Prepared(attempt, sender.get(), message, null);
  }

  /**
   * The plan's messages of the day (shared with agents' replies), and a new user of the profile's
   * daily limit on a recipient's first attempt; the limit reached, or null if both were taken.
   */
  private static String takeDailyLimits(TenantTransaction tx, RunnerRows.SendContext context, LocalDate day) {
    try {
      tx.takeWithinLimit(SentMessages.METRIC, day, 1, Limit.MESSAGES_PER_DAY);
    } catch (LimitExceededException e) {
      return "the plan's " + e.value() + " messages a day were sent";
    }
    if (context.dailyUsers != null && context.attempts == 0 && tx.mapper(RunnerMapper.class)
        .takeDailyUser(tx.organizationId(), context.profileId, day, context.dailyUsers) == null) {
      tx.giveBack(SentMessages.METRIC, day, 1);
      return "the WhatsApp profile reached its " + context.dailyUsers + " users a day";
    }
    return null;
  }

  /** What the first step leaves for the call; {@code done} set when there is no call to make. */
  private record Prepared(SendOutcomes.Attempt attempt, WhatsAppSender sender, OutgoingMessage message,
      Boolean done) {}
}
