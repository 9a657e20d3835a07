package io.crmkit.whatsapp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.whatsapp.spi.TaggedStatus;
import io.crmkit.whatsapp.spi.TaggedStatuses;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery statuses of replies, from a webhook delivery, in the routed tenant's transaction: they
 * only move forward (a late delivered never downgrades read), pricing and errors are kept whatever
 * the order, and each move is a {@code message_status} event. A status that outruns the send it
 * reports waits in whatsapp_early_statuses until the send records the wamid ({@link ReplySender});
 * both sides take the wamid's advisory lock first, so one always sees the other's work.
 */
final class DeliveryStatuses {
  private static final Logger log = LoggerFactory.getLogger(DeliveryStatuses.class);
  private final Events events;
  private final Supplier<List<TaggedStatuses>> tagged;

  DeliveryStatuses(Events events, Supplier<List<TaggedStatuses>> tagged) {
    this.events = events;
    this.tagged = tagged;
  }

  /** Applies {@code status}, reported for a message sent from {@code profileId}. */
  void apply(TenantTransaction tx, UUID profileId, JsonNode status) {
    String waMessageId = status.path("id").asText("");
    String state = status.path("status").asText("");
    if (!state.matches("sent|delivered|read|failed")) {
      log.debug("ignoring status {} of {}", state, waMessageId);
      return;
    }
    JsonNode error = status.path("errors").path(0);
    StatusMapper.Status reported = new StatusMapper.Status(waMessageId, state,
        ChangeItems.at(status, tx.now()),
        error.has("code") ? error.get("code").asInt() : null,
        error.has("code") ? error.path("title").asText(error.path("message").asText("")) : null,
        status.has("pricing") ? status.get("pricing") : null);
    String tag = status.path("biz_opaque_callback_data").asText("");
    for (TaggedStatuses handler : tagged.get()) {
      if (!tag.isEmpty() && tag.startsWith(handler.tagPrefix()) && !waMessageId.isEmpty()
          && waMessageId.length() <= 256) {
        // Another module's own send (a campaign's): its status is that module's to apply.
        handler.apply(tx, new TaggedStatus(profileId, tag, waMessageId, state, reported.at(),
            Optional.ofNullable(reported.errorCode()), Optional.ofNullable(reported.errorMessage())));
        return;
      }
    }
    // Serializes with the send that records this wamid (ReplySender): one sees the other's work.
    tx.mapper(LockMapper.class).lock(List.of(InboundMessages.WAMID_LOCK + waMessageId));
    StatusMapper statuses = tx.mapper(StatusMapper.class);
    if (statuses.replyByWamid(tx.organizationId(), waMessageId) == null
        && !attachByTag(tx, profileId, waMessageId, tag)) {
      // Earlier than the send's record: kept until the send records the wamid. A send records it
      // within seconds; what is older than a day is for wamids we never sent (another tool on the number).
      statuses.purgeEarlyStatuses(tx.organizationId());
      statuses.insertEarlyStatus(tx.organizationId(), reported);
      return;
    }
    if (reported.pricing() != null || reported.errorCode() != null) {
      // Pricing and errors are kept whatever order the statuses arrive in.
      statuses.keepPricingAndError(tx.organizationId(), reported);
    }
    StatusMapper.Advanced advanced = statuses.advance(tx.organizationId(), reported);
    if (advanced != null) {
      events.append(tx, advanced.conversationId(), EventCodec.messageStatus(advanced.messageId(),
          Optional.of(waMessageId), state));
    } else {
      log.debug("status {} of {} changed nothing (older than the stored one, or the send is not recorded)", state,
          waMessageId);
    }
  }

  /**
   * A status for a wamid no send recorded, tagged with one of our replies (see ReplySender.tag):
   * the reply whose answer was lost, or has not come yet. Gives it the wamid, so this status and
   * every later one apply to it. Only this tenant's replies on this profile are found.
   */
  private static boolean attachByTag(TenantTransaction tx, UUID profileId, String waMessageId, String tag) {
    if (!tag.startsWith(ReplySender.TAG_PREFIX) || waMessageId.isEmpty() || waMessageId.length() > 256) {
      return false;
    }
    UUID messageId;
    try {
      messageId = UUID.fromString(tag.substring(ReplySender.TAG_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return tx.mapper(StatusMapper.class).attachByTag(tx.organizationId(), messageId, waMessageId, profileId) > 0;
  }
}
