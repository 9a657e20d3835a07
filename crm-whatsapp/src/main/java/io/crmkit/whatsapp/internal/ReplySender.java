package io.crmkit.whatsapp.internal;

import io.crmkit.core.TenantScope;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.whatsapp.DisconnectReason;
import io.crmkit.whatsapp.OutgoingMessage;
import io.crmkit.whatsapp.SendFailure;
import io.crmkit.whatsapp.SendResult;
import io.crmkit.whatsapp.WhatsAppGateway;
import io.crmkit.whatsapp.WhatsAppSender;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a committed reply to WhatsApp, outside any transaction: claims it 'pending' → 'sending'
 * (so it is sent once, whoever tries), sends, retrying rate limits and connection failures with
 * backoff, and records the outcome. A crash between the claim and the record leaves it 'sending',
 * which whatsapp_stalled_sends turns into 'unknown', never into a second send.
 */
final class ReplySender {
  private static final Logger log = LoggerFactory.getLogger(ReplySender.class);
  private static final int ATTEMPTS = 3;
  private final WhatsAppRuntime runtime;
  private final WhatsAppGateway gateway;
  private final Events events;

  ReplySender(WhatsAppRuntime runtime) {
    this.runtime = runtime;
    this.gateway = runtime.gateway;
    this.events = runtime.events;
  }

  /** What each reply is sent with, given back in its statuses: a reply whose answer was lost settles by it. */
  static String tag(UUID messageId) {
    return TAG_PREFIX + messageId;
  }

  /** The start of {@link #tag}. */
  static final String TAG_PREFIX = "crmkit.reply:";

  /** Sends the reply if it is still pending; returns false if someone else took it (or it is gone). */
  boolean deliver(UUID organizationId, UUID profileId, UUID messageId, OutgoingMessage message) {
    TenantScope system = runtime.crm.tenant(organizationId).asSystem("whatsapp-sender");
    // The profile's proof as it stands before its token is read: a refusal of this send takes only
    // this proof, never a newer one (a token replaced while the send was on its way).
    Optional<Optional<Instant>> claim = TenantWork.call(system, tx -> {
      if (tx.update("update " + tx.table("messages") + " set status = 'sending', status_at = clock_timestamp()"
          + " where organization_id = ? and id = ? and status = 'pending'", tx.organizationId(), messageId) == 0) {
        return Optional.empty();
      }
      return Optional.of(Optional.ofNullable(tx.mapper(ProfileMapper.class).proof(tx.organizationId(), profileId)));
    });
    if (claim.isEmpty()) {
      return false;
    }
    Optional<Instant> proof = claim.get();
    SendResult result;
    Optional<WhatsAppSender> sender;
    try {
      sender = runtime.profiles(system).sender(profileId);
    } catch (RuntimeException e) {
      sender = null;
      // Claimed but never handed over: a failure, not an unknown; and not WhatsApp refusing the token.
      log.warn("reply {} of organization {}: no sender for profile {}", messageId, organizationId, profileId, e);
    }
    if (sender == null) {
      result = new SendResult.Failed(new SendFailure(SendFailure.Kind.NOT_HANDED_OVER, 0,
          "the session of profile " + profileId + " could not be read"));
    } else if (sender.isEmpty()) {
      result = new SendResult.Failed(new SendFailure(SendFailure.Kind.AUTHENTICATION, 0,
          "profile " + profileId + " has no session or is deactivated"));
    } else {
      result = gateway.send(sender.get(), message, tag(messageId));
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
    }
    SendResult outcome = result;
    TenantWork.call(system, tx -> {
      String messages = tx.table("messages");
      // Recorded also over 'unknown': a send that outlived a resumer's patience still settles.
      if (outcome instanceof SendResult.Accepted accepted) {
        String wamid = accepted.providerMessageId();
        try (PreparedStatement lock = tx.connection().prepareStatement(
            "select pg_advisory_xact_lock(hashtextextended(?, 0))")) {
          lock.setString(1, "crmkit.whatsapp.wamid:" + wamid);
          lock.executeQuery().close();
        }
        if (tx.update("update " + messages + " set status = 'sent', wa_message_id = ?, status_at = ?,"
            + " error_message = null where organization_id = ? and id = ? and status in ('sending', 'unknown')", wamid,
            Timestamp.from(tx.now()), tx.organizationId(), messageId) == 0) {
          // Settled already: a status tagged with this reply arrived first and gave it the wamid.
          return null;
        }
        // Statuses WhatsApp reported before this record: the furthest one wins, pricing and errors kept.
        tx.update("with early as (delete from " + tx.table("whatsapp_early_statuses")
            + " where organization_id = ? and wa_message_id = ? returning *),"
            + " furthest as (select * from early order by case status when 'sent' then 1 when 'delivered' then 2"
            + " when 'read' then 3 else 4 end desc limit 1)"
            + " update " + messages + " m set status = f.status, status_at = f.status_at,"
            + " error_code = coalesce((select max(error_code) from early), m.error_code),"
            + " error_message = coalesce((select max(error_message) from early), m.error_message),"
            + " pricing = coalesce((select pricing from early where pricing is not null limit 1), m.pricing)"
            + " from furthest f where m.organization_id = ? and m.id = ?"
            + " and not (f.status = 'failed' and exists (select 1 from early where status in ('delivered', 'read')))",
            tx.organizationId(), wamid, tx.organizationId(), messageId);
      } else if (outcome instanceof SendResult.Failed failed) {
        if (tx.update("update " + messages + " set status = 'failed', error_code = ?, error_message = ?,"
            + " status_at = ? where organization_id = ? and id = ? and status in ('sending', 'unknown')",
            failed.failure().providerCode(), failed.failure().kind() + ": " + failed.failure().message(),
            Timestamp.from(tx.now()), tx.organizationId(), messageId) == 0) {
          return null;
        }
        if (failed.failure().kind() == SendFailure.Kind.AUTHENTICATION) {
          // WhatsApp refused the token: the proof it stood on, and so the number's route, go. A
          // proof stamped since (a new token) stands, and so does its status.
          if (proof.isEmpty()
              || !runtime.routes.disconnect(tx, profileId, DisconnectReason.SESSION_REFUSED, proof.get())) {
            tx.mapper(ProfileMapper.class).markDisconnectedUnlessProven(tx.organizationId(), profileId);
          }
        }
      } else {
        if (tx.update("update " + messages + " set status = 'unknown', error_message = ?, status_at = ?"
            + " where organization_id = ? and id = ? and status = 'sending'", ((SendResult.Unknown) outcome).reason(),
            Timestamp.from(tx.now()), tx.organizationId(), messageId) == 0) {
          return null;
        }
      }
      try (PreparedStatement ps = tx.connection().prepareStatement("select conversation_id, status, wa_message_id from "
          + messages + " where organization_id = ? and id = ?")) {
        ps.setObject(1, tx.organizationId());
        ps.setObject(2, messageId);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            EventCodec.Body status = EventCodec.messageStatus(messageId, Optional.ofNullable(rs.getString(3)),
                rs.getString(2));
            UUID conversation = rs.getObject(1, UUID.class);
            rs.close();
            events.append(tx, conversation, status);
          }
        }
      }
      return null;
    });
    log.debug("message {} of organization {}: {}", messageId, organizationId, outcome.getClass().getSimpleName());
    return true;
  }

  /**
   * Settles replies a stopped process left behind (older than {@code olderThan}): 'sending' ones
   * become unknown, 'pending' ones are sent. Returns how many were sent by this call.
   */
  int resume(java.time.Duration olderThan, int max) {
    java.util.List<Object[]> stalled = TenantWork.crossTenant(runtime.crm, tx -> {
      java.util.List<Object[]> rows = new java.util.ArrayList<>();
      try (PreparedStatement ps = tx.connection().prepareStatement("select organization_id, message_id, payload::text"
          + " from " + tx.table("whatsapp_stalled_sends") + "(?::interval, ?)")) {
        ps.setString(1, olderThan.toMillis() + " milliseconds");
        ps.setInt(2, max);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(new Object[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3)});
          }
        }
      }
      return rows;
    });
    int sent = 0;
    for (Object[] row : stalled) {
      try {
        com.fasterxml.jackson.databind.JsonNode payload = new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree((String) row[2]);
        if (deliver((UUID) row[0], OutgoingCodec.profileId(payload), (UUID) row[1], OutgoingCodec.fromJson(payload))) {
          sent++;
        }
      } catch (java.io.IOException | RuntimeException e) {
        log.warn("stalled reply {} of organization {} not resumed", row[1], row[0], e);
      }
    }
    return sent;
  }

}
