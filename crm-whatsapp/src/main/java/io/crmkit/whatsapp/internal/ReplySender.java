package io.crmkit.whatsapp.internal;

import io.crmkit.core.TenantScope;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.whatsapp.DisconnectReason;
import io.crmkit.whatsapp.OutgoingMessage;
import io.crmkit.whatsapp.SendFailure;
import io.crmkit.whatsapp.SendResult;
import io.crmkit.whatsapp.WhatsAppGateway;
import io.crmkit.whatsapp.WhatsAppSender;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a committed reply to WhatsApp, outside any transaction: claims it 'pending' → 'sending'
 * (so it is sent once, whoever tries), sends, retrying rate limits and connection failures with
 * backoff, and records the outcome: an answer that does not say whether WhatsApp took it (a
 * timeout, a server error) is 'unknown', never sent again. A crash between the claim and the record
 * leaves it 'sending', which whatsapp_stalled_sends turns into 'unknown', never into a second send.
 */
final class ReplySender {
  private static final Logger log = LoggerFactory.getLogger(ReplySender.class);
  private static final int ATTEMPTS = 3;
  /** The start of {@link #tag}. */
  static final String TAG_PREFIX = "crmkit.reply:";
  private final WhatsAppRuntime runtime;
  private final WhatsAppGateway gateway;

  ReplySender(WhatsAppRuntime runtime) {
    this.runtime = runtime;
    this.gateway = runtime.gateway;
  }

  /** What each reply is sent with, given back in its statuses: a reply whose answer was lost settles by it. */
  static String tag(UUID messageId) {
    return TAG_PREFIX + messageId;
  }

  /** Sends the reply if it is still pending; returns false if someone else took it (or it is gone). */
  boolean deliver(UUID organizationId, UUID profileId, UUID messageId, OutgoingMessage message) {
    TenantScope system = runtime.crm.tenant(organizationId).asSystem("whatsapp-sender");
    // The profile's proof as it stands before its token is read: a refusal of this send takes only
    // this proof, never a newer one (a token replaced while the send was on its way).
    Optional<Optional<Instant>> claim = TenantWork.call(system, tx -> {
      if (tx.mapper(ReplyMapper.class).claim(tx.organizationId(), messageId) == 0) {
        return Optional.empty();
      }
      return Optional.of(Optional.ofNullable(tx.mapper(ProfileMapper.class).proof(tx.organizationId(), profileId)));
    });
    if (claim.isEmpty()) {
      return false;
    }
    SendResult outcome = send(system, profileId, messageId, message);
    TenantWork.call(system, tx -> {
      record(tx, profileId, messageId, outcome, claim.get());
      return null;
    });
    log.debug("message {} of organization {}: {}", messageId, organizationId, outcome.getClass().getSimpleName());
    return true;
  }

  /** Sends as the profile, retrying what may succeed later; a session that cannot be read is no refusal by WhatsApp. */
  private SendResult send(TenantScope system, UUID profileId, UUID messageId, OutgoingMessage message) {
    Optional<WhatsAppSender> sender;
    try {
      sender = runtime.profiles(system).sender(profileId);
    } catch (RuntimeException e) {
      // Claimed but never handed over: a failure, not an unknown; and not WhatsApp refusing the token.
      log.warn("reply {} of organization {}: no sender for profile {}", messageId, system.organizationId(), profileId,
          e);
      return new SendResult.Failed(new SendFailure(SendFailure.Kind.NOT_HANDED_OVER, 0,
          "the session of profile " + profileId + " could not be read"));
    }
    if (sender.isEmpty()) {
      return new SendResult.Failed(new SendFailure(SendFailure.Kind.AUTHENTICATION, 0,
          "profile " + profileId + " has no session or is deactivated"));
    }
    SendResult result = gateway.send(sender.get(), message, tag(messageId));
    for (int attempt = 1; attempt < ATTEMPTS && result instanceof SendResult.Failed failed
        && failed.failure().retryable(); attempt++) {
      try {
        Thread.sleep(200L << attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      result = gateway.send(sender.get(), message, tag(messageId));
    }
    return result;
  }

  /**
   * Records the outcome (also over 'unknown': a send that outlived a resumer's patience still
   * settles) and tells it with a {@code message_status} event; nothing if it settled already.
   */
  private void record(TenantTransaction tx, UUID profileId, UUID messageId, SendResult outcome,
      Optional<Instant> proof) {
    ReplyMapper replies = tx.mapper(ReplyMapper.class);
    UUID org = tx.organizationId();
    if (outcome instanceof SendResult.Accepted accepted) {
      String wamid = accepted.providerMessageId();
      // Serializes with the statuses of this wamid (DeliveryStatuses): one sees the other's work.
      tx.mapper(LockMapper.class).lock(List.of(InboundMessages.WAMID_LOCK + wamid));
      if (replies.recordAccepted(org, messageId, wamid, tx.now()) == 0) {
        // Settled already: a status tagged with this reply arrived first and gave it the wamid.
        return;
      }
      tx.mapper(StatusMapper.class).applyEarlyStatuses(org, wamid, messageId);
    } else if (outcome instanceof SendResult.Failed failed
        && failed.failure().kind() != SendFailure.Kind.PROVIDER_ERROR) {
      SendFailure failure = failed.failure();
      if (replies.recordFailed(org, messageId, failure.providerCode(), failure.kind() + ": " + failure.message(),
          tx.now()) == 0) {
        return;
      }
      if (failure.kind() == SendFailure.Kind.AUTHENTICATION) {
        // WhatsApp refused the token: the proof it stood on, and so the number's route, go. A
        // proof stamped since (a new token) stands, and so does its status.
        if (proof.isEmpty()
            || !runtime.routes.disconnect(tx, profileId, DisconnectReason.SESSION_REFUSED, proof.get())) {
          tx.mapper(ProfileMapper.class).markDisconnectedUnlessProven(org, profileId);
        }
      }
    } else if (!recordUnknown(replies, org, messageId, outcome, tx.now())) {
      return;
    }
    ReplyMapper.Settled settled = replies.settled(org, messageId);
    if (settled != null) {
      runtime.events.append(tx, settled.conversationId(), EventCodec.messageStatus(messageId,
          Optional.ofNullable(settled.waMessageId()), settled.status()));
    }
  }

  /**
   * An answer that does not say whether WhatsApp took the message (no answer, or a server error:
   * a 5xx, Meta's 131000, a proxy's error page): {@code unknown} with the reason, never sent again;
   * the reply's tagged statuses settle it. False if it settled already.
   */
  private static boolean recordUnknown(ReplyMapper replies, UUID org, UUID messageId, SendResult outcome,
      Instant at) {
    if (outcome instanceof SendResult.Failed failed) {
      SendFailure failure = failed.failure();
      return replies.recordUnknown(org, messageId, failure.providerCode() == 0 ? null : failure.providerCode(),
          failure.kind() + ": " + failure.message(), at) > 0;
    }
    return replies.recordUnknown(org, messageId, null, ((SendResult.Unknown) outcome).reason(), at) > 0;
  }

  /**
   * Settles replies a stopped process left behind (older than {@code olderThan}): 'sending' ones
   * become unknown, 'pending' ones are sent. Returns how many were sent by this call.
   */
  int resume(Duration olderThan, int max) {
    List<ReplyMapper.Stalled> stalled = TenantWork.crossTenant(runtime.crm,
        tx -> tx.mapper(ReplyMapper.class).stalled(olderThan.toMillis() + " milliseconds", max));
    int sent = 0;
    for (ReplyMapper.Stalled reply : stalled) {
      try {
        if (deliver(reply.organizationId(), OutgoingCodec.profileId(reply.payload()), reply.messageId(),
            OutgoingCodec.fromJson(reply.payload()))) {
          sent++;
        }
      } catch (RuntimeException e) {
        log.warn("stalled reply {} of organization {} not resumed", reply.messageId(), reply.organizationId(), e);
      }
    }
    return sent;
  }
}
