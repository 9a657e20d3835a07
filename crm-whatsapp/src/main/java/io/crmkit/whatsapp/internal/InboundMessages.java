package io.crmkit.whatsapp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.whatsapp.spi.InboundText;
import io.crmkit.whatsapp.spi.InboundTexts;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One user's message of a webhook delivery, stored in the routed tenant's transaction: contact,
 * conversation (locked), message (once per wamid), then, only for a message really inserted, the
 * customer link, the conversation's unread count and last message, a {@code message} activity and
 * a {@code message_received} event. A system message about a changed number or user id moves the
 * contact instead.
 */
final class InboundMessages {
  private static final Logger log = LoggerFactory.getLogger(InboundMessages.class);
  private static final Set<String> TEXTS = Set.of("text", "button", "interactive");
  private final Supplier<List<InboundTexts>> texts;
  /** The prefix of a wamid's advisory lock, shared with the statuses and the sends that name it. */
  static final String WAMID_LOCK = "crmkit.whatsapp.wamid:";
  private final Events events;
  private final ContactResolver contacts;
  private final CustomerLinker customers;

  InboundMessages(Events events, Supplier<List<InboundTexts>> texts) {
    this.events = events;
    this.texts = texts;
    this.contacts = new ContactResolver(events);
    this.customers = new CustomerLinker(events);
  }

  /** Stores {@code message}, which arrived on {@code profileId}, from the sender {@code contact} describes. */
  void store(TenantTransaction tx, UUID profileId, JsonNode message, JsonNode contact) {
    String waMessageId = message.path("id").asText("");
    if (waMessageId.isEmpty() || waMessageId.length() > 256) {
      // Fails the same way on every try: the item becomes a dead letter an operator sees.
      throw new ValidationException("message.id", "is missing or longer than 256 characters");
    }
    String bsuid = Identities.bsuid(Identities.text(contact, "user_id")
        .or(() -> Identities.text(message, "from_user_id")).orElse(null));
    String phone = Identities.phone(Identities.text(message, "from").or(() -> Identities.text(contact, "wa_id"))
        .orElse(null));
    IdentityChange change = "system".equals(message.path("type").asText()) ? IdentityChange.of(message) : null;
    if (change != null && change.previousUserId() != null) {
      // The user's id before the change names the contact; the message's own may be the new one.
      bsuid = change.previousUserId();
    }
    if (bsuid == null && phone == null) {
      throw new ValidationException("message.from", "names neither a phone nor a business-scoped user id");
    }
    lockIdentities(tx, profileId, waMessageId, bsuid, phone, change);
    if (tx.mapper(MessageMapper.class).idByWamid(tx.organizationId(), waMessageId) != null) {
      // Checked before the contact: a redelivery after the user changed number must not leave behind
      // an empty contact and conversation for the old one.
      log.debug("webhook message {} was stored before; nothing done again", waMessageId);
      return;
    }
    // One line each, within the contacts table's limits: a name full of line breaks or megabytes
    // long is still a name, never a failed delivery.
    JsonNode profileName = contact.path("profile").path("name");
    String name = Identities.line(profileName.isTextual() ? profileName.textValue() : null, 255);
    String username = Identities.line(Identities.text(contact, "username")
        .or(() -> Identities.text(contact.path("profile"), "username")).orElse(null), 100);
    Instant at = ChangeItems.at(message, tx.now());
    InboundContent content = InboundContent.of(message);

    UUID contactId = contacts.resolve(tx, profileId, bsuid, phone, name, username);
    ConversationMapper conversations = tx.mapper(ConversationMapper.class);
    conversations.createIfAbsent(tx.organizationId(), profileId, contactId);
    ConversationMapper.Locked conversation = conversations.lockForContact(tx.organizationId(), profileId, contactId);
    UUID messageId = tx.mapper(MessageMapper.class).insertInbound(tx.organizationId(), conversation.id(), waMessageId,
        content, message, at);
    if (messageId == null) {
      log.debug("webhook message {} was stored before; nothing done again", waMessageId);
      return;
    }
    if (change != null) {
      // A notice from WhatsApp, not the user writing: no unread, no 24-hour window, no activity.
      contacts.changeIdentity(tx, conversation.id(), contactId, change);
      return;
    }
    UUID customerId = conversation.customerId() != null ? conversation.customerId()
        : customers.link(tx, contactId, conversation.id(), phone, name != null ? name : username);
    conversations.inboundArrived(tx.organizationId(), conversation.id(), at, content.preview());
    if (customerId != null) {
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("direction", "inbound");
      metadata.put("conversation_id", conversation.id().toString());
      metadata.put("message_id", messageId.toString());
      metadata.put("wa_message_id", waMessageId);
      tx.scope().customers().logActivity(customerId, "message", Optional.of(content.preview()), metadata);
    }
    events.append(tx, conversation.id(), EventCodec.messageReceived(messageId, waMessageId, content.type(),
        Optional.ofNullable(customerId)));
    if (TEXTS.contains(content.type()) && content.body() != null) {
      InboundText text = new InboundText(profileId, Optional.ofNullable(phone), Optional.ofNullable(bsuid),
          Optional.ofNullable(customerId), content.body(), at);
      for (InboundTexts module : texts.get()) {
        module.received(tx, text);
      }
    }
  }

  /**
   * Deliveries naming the same message or the same user (by id or phone, before or after a
   * change) take their turns: a redelivery sees the first copy stored, and a change of identity
   * and a message from the new identity never both create the user.
   */
  private static void lockIdentities(TenantTransaction tx, UUID profileId, String waMessageId, String bsuid,
      String phone, IdentityChange change) {
    TreeSet<String> keys = new TreeSet<>();
    keys.add(WAMID_LOCK + waMessageId);
    for (String identity : Arrays.asList(bsuid, phone, change == null ? null : change.newUserId(),
        change == null ? null : change.newPhone())) {
      if (identity != null) {
        keys.add("crmkit.whatsapp.contact:" + profileId + ":" + identity);
      }
    }
    tx.mapper(LockMapper.class).lock(keys.stream().toList());
  }
}
