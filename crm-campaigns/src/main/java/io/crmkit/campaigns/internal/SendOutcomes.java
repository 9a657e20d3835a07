package io.crmkit.campaigns.internal;

import io.crmkit.campaigns.CampaignEvent;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.whatsapp.SendFailure;
import io.crmkit.whatsapp.SendResult;
import io.crmkit.whatsapp.spi.SentMessages;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What a send's outcome does to its recipient and campaign, in one tenant transaction with its
 * result row: accepted is {@code sent}; a refusal that may pass later (a rate limit, a lost
 * connection before the request went out) is {@code pending} again after 4^n seconds (at most an
 * hour, at most {@value #MAX_ATTEMPTS} tries; WhatsApp's per-user marketing limit, 131049, after a
 * day; the profile's rate limit, 130429, when the whole profile's back-off ends); WhatsApp refusing
 * the profile's token or the template (132015, 132016 and the like),
 * {@value #MAX_FAILURES_IN_A_ROW} failures or unknowns in a row (a WhatsApp outage answering 5xx), or {@value #MAX_FAILURE_PERCENT}% of the last
 * {@value #RECENT_ATTEMPTS} attempts failed, pause the campaign (the recipient given back);
 * any other refusal is {@code failed} with the code and reason; an answer that does not say whether
 * WhatsApp took the message (a timeout, a 5xx) is {@code unknown}, never sent again by itself. A
 * status of the attempt that arrived while it was in flight outweighs the answer.
 */
final class SendOutcomes {
  /** The callback data a campaign's message carries: this, then the attempt id. */
  static final String TAG_PREFIX = "crmkit.campaign:";
  private static final Duration LONGEST_BACKOFF = Duration.ofHours(1);
  private static final int MAX_ERROR = 1000;
  /** The most tries of one recipient; a retryable refusal of the last one is a failure. */
  static final int MAX_ATTEMPTS = 8;
  /** Failures or unknowns one after another that pause the campaign (a number gone wrong, an outage). */
  static final int MAX_FAILURES_IN_A_ROW = 20;
  /** The attempts whose failure rate is watched, and the share of failures that pauses the campaign. */
  static final int RECENT_ATTEMPTS = 50;
  static final int MAX_FAILURE_PERCENT = 80;
  /** WhatsApp's codes for a template it will not send (parameters, missing, paused, disabled). */
  private static final Set<Integer> TEMPLATE_REFUSED = Set.of(132000, 132001, 132005, 132007, 132012, 132015,
      132016);
  private static final int PER_USER_MARKETING_LIMIT = 131049;
  /** WhatsApp's rate limit of the profile: it backs off as a whole. */
  private static final int PROFILE_RATE_LIMIT = 130429;

  private SendOutcomes() {}

  /** A message that no longer renders (its customer changed since the start): failed for good. */
  static SendResult rendering(ValidationException e) {
    return new SendResult.Failed(new SendFailure(SendFailure.Kind.REJECTED, 0, "not sent: " + e.getMessage()));
  }

  /**
   * One try of one recipient.
   *
   * @param number its number among the recipient's tries, from 1
   * @param day the organization's day it took a unit of {@code max_messages_per_day} from, given
   *     back if it is tried again; null if it took none
   */
  record Attempt(UUID campaignId, UUID recipientId, UUID profileId, UUID attemptId, int number, LocalDate day) {
    Attempt withoutDay() {
      return new Attempt(campaignId, recipientId, profileId, attemptId, number, null);
    }
  }

  /**
   * Records the outcome of {@code attempt}, if the recipient still has it (sending, or unknown once
   * its lease ran out); else nothing.
   *
   * @return whether the recipient is done with (sent, failed or unknown), not waiting to try again
   */
  static boolean record(TenantTransaction tx, CampaignEvents events, Attempt attempt, SendResult result) {
    UUID campaignId = attempt.campaignId();
    UUID recipientId = attempt.recipientId();
    RunnerMapper runner = tx.mapper(RunnerMapper.class);
    RunnerRows.AttemptState before = runner.attemptStatus(tx.organizationId(), recipientId, attempt.attemptId());
    if (before == null) {
      return false;
    }
    boolean wasUnknown = "unknown".equals(before.status);
    // A status of this very attempt that came while it was in flight: WhatsApp took the message
    // (its wamid), and, with a code, failed it. It outweighs whatever the answer says.
    String seen = before.waMessageId == null ? null : before.errorCode != null ? "failed" : "sent";
    String status;
    String waMessageId = null;
    Integer code = null;
    String error = null;
    Integer backoff = null;
    if (result instanceof SendResult.Accepted accepted) {
      status = "failed".equals(seen) ? "failed" : "sent";
      waMessageId = accepted.providerMessageId();
    } else if (result instanceof SendResult.Unknown why) {
      status = seen != null ? seen : "unknown";
      error = text(why.reason());
    } else {
      SendFailure failure = ((SendResult.Failed) result).failure();
      code = failure.providerCode() == 0 ? null : failure.providerCode();
      error = text(failure.kind() + ": " + failure.message());
      if (seen != null) {
        status = seen;
      } else if (failure.kind() == SendFailure.Kind.PROVIDER_ERROR) {
        // A server error: whether WhatsApp took the message is not known.
        status = "unknown";
      } else if (failure.providerCode() == PROFILE_RATE_LIMIT && !wasUnknown) {
        // 130429: the profile sends too fast for WhatsApp; all its sends wait, this one with them.
        status = "pending";
        Instant until = runner.backOffProfile(tx.organizationId(), attempt.profileId(), tx.now());
        backoff = (int) Math.max(1, Duration.between(tx.now(), until).toSeconds());
      } else if (TEMPLATE_REFUSED.contains(failure.providerCode()) && !wasUnknown) {
        // The template itself (paused, disabled, gone, its parameters): every recipient would fail.
        status = "pending";
        pause(tx, events, campaignId, "WhatsApp refused the template (" + failure.providerCode() + "): "
            + failure.message());
      } else if (failure.providerCode() == PER_USER_MARKETING_LIMIT && !wasUnknown
          && before.attempts < MAX_ATTEMPTS) {
        // 131049: WhatsApp holds back marketing to this user for now; tried again after a day.
        status = "pending";
        backoff = (int) Duration.ofDays(1).toSeconds();
      } else if (failure.kind() == SendFailure.Kind.AUTHENTICATION && !wasUnknown) {
        // Not the recipient's doing: it waits, and the campaign with it, for a working token.
        status = "pending";
        pause(tx, events, campaignId, "WhatsApp refused the profile's access token");
      } else if (failure.retryable() && !wasUnknown && before.attempts < MAX_ATTEMPTS) {
        status = "pending";
        // The database's clock, as the claim's: due again after 4^n seconds.
        backoff = (int) Math.min(Math.pow(4, Math.max(1, attempt.number())), LONGEST_BACKOFF.toSeconds());
      } else {
        // Refused for good; or a refusal that arrives after the lease ran out (the campaign may be
        // complete by now) or after the last attempt: failed, with its code, never pending again.
        status = "failed";
        if (failure.kind() == SendFailure.Kind.MARKETING_OPT_OUT) {
          // 131050: the user stopped marketing messages; no campaign of this tenant reaches them now.
          CampaignRows.Identity identity = tx.mapper(OptOutMapper.class).identityOf(tx.organizationId(), recipientId);
          OptOuts.record(tx, identity.phone, identity.userId, identity.customerId, true, "send_refused", tx.now());
        }
      }
    }
    // An unknown (its lease ran out) was counted as handled and unknown; the outcome replaces it.
    int counted = wasUnknown ? 1 : 0;
    int handled = ("pending".equals(status) ? 0 : 1) - counted;
    int unknown = ("unknown".equals(status) ? 1 : 0) - counted;
    int sent = "sent".equals(status) ? 1 : 0;
    int failed = "failed".equals(status) ? 1 : 0;
    if ("pending".equals(status) && attempt.day() != null) {
      // Tried again later: today's unit of max_messages_per_day comes back.
      tx.giveBack(SentMessages.METRIC, attempt.day(), 1);
    }
    RunnerRows.Recorded recorded = runner.recordOutcome(tx.organizationId(), campaignId, recipientId,
        attempt.attemptId(), status, "pending".equals(status) ? "failed" : status, waMessageId, code, error, backoff,
        sent, failed, unknown, handled, !wasUnknown && ("failed".equals(status) || "unknown".equals(status)) ? 1 : 0,
        tx.now());
    if (recorded == null || recorded.remaining <= 0) {
      completeIfDone(tx, events, campaignId);
    } else if (recorded.failuresInARow >= MAX_FAILURES_IN_A_ROW) {
      pause(tx, events, campaignId, recorded.failuresInARow + " sends in a row failed or went unknown; the last: "
          + error);
    } else if (failed > 0) {
      RunnerRows.Recent recent = runner.recentFailures(tx.organizationId(), campaignId, RECENT_ATTEMPTS);
      if (recent.attempts >= RECENT_ATTEMPTS && recent.failed * 100 >= recent.attempts * MAX_FAILURE_PERCENT) {
        pause(tx, events, campaignId, recent.failed + " of the last " + recent.attempts + " sends failed; the last: "
            + error);
      }
    }
    return !"pending".equals(status);
  }

  /** Completes the campaign if nothing is left to send or in flight, and tells so after commit. */
  static void completeIfDone(TenantTransaction tx, CampaignEvents events, UUID campaignId) {
    if (tx.mapper(RunnerMapper.class).completeIfDone(tx.organizationId(), campaignId, tx.now()) > 0) {
      events.afterCommit(tx, new CampaignEvent.Completed(tx.organizationId(), campaignId));
    }
  }

  /** Pauses a running campaign by itself with {@code reason}, and tells so after commit. */
  static void pause(TenantTransaction tx, CampaignEvents events, UUID campaignId, String reason) {
    String why = text(reason);
    if (tx.mapper(RunnerMapper.class).pause(tx.organizationId(), campaignId, why) > 0) {
      events.afterCommit(tx, new CampaignEvent.Paused(tx.organizationId(), campaignId, Optional.of(why)));
    }
  }

  /** Text from outside (WhatsApp's reasons) as a stored error: cleaned, at most 1,000 characters. */
  static String text(String raw) {
    String clean = Inputs.outsideText(raw).strip();
    if (clean.isEmpty()) {
      return null;
    }
    return clean.length() <= MAX_ERROR ? clean : clean.substring(0, MAX_ERROR - 1) + "…";
  }
}
