package io.crmkit.whatsapp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmkit.core.Crm;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.customers.CustomerService;
import io.crmkit.core.customers.CustomerSource;
import io.crmkit.core.exception.LimitExceededException;
import io.crmkit.core.exception.RetryableException;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.whatsapp.WhatsAppWebhook;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a verified webhook delivery: each change routed to its tenant and profile, then stored in
 * that tenant's transaction. Redeliveries store nothing twice: only a message insert that really
 * inserted moves the conversation, the customer link and the timeline.
 */
final class WebhookIngest {
  private static final Logger log = LoggerFactory.getLogger(WebhookIngest.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Crm crm;
  private final Events events;

  /** Ingest into {@code crm}'s tenants, writing {@code events}. */
  WebhookIngest(Crm crm, Events events) {
    this.crm = crm;
    this.events = events;
  }

  /** Stores a delivery that {@code appId}'s secret verified. */
  WhatsAppWebhook.Response receive(String appId, byte[] rawBody) {
    JsonNode root;
    try {
      root = JSON.readTree(rawBody);
    } catch (IOException e) {
      return new WhatsAppWebhook.Response(400, "malformed JSON");
    }
    if (root == null || !"whatsapp_business_account".equals(root.path("object").asText())
        || !root.path("entry").isArray()) {
      return new WhatsAppWebhook.Response(400, "not a WhatsApp Business Account webhook");
    }
    try {
      for (JsonNode entry : root.path("entry")) {
        for (JsonNode change : entry.path("changes")) {
          if (!"messages".equals(change.path("field").asText())) {
            log.debug("ignoring a webhook change of field {}", change.path("field").asText());
            continue;
          }
          ingestChange(appId, change.path("value"));
        }
      }
      return new WhatsAppWebhook.Response(200, "ok");
    } catch (RetryableException e) {
      log.warn("webhook delivery not stored, Meta will deliver it again: {}", e.getMessage());
      return new WhatsAppWebhook.Response(503, "try again");
    } catch (RuntimeException e) {
      log.error("webhook delivery not stored, Meta will deliver it again", e);
      return new WhatsAppWebhook.Response(500, "not stored");
    }
  }

  private void ingestChange(String appId, JsonNode value) {
    String phoneNumberId = value.path("metadata").path("phone_number_id").asText("");
    RouteMapper.Route route = TenantWork.crossTenant(crm,
        c -> c.mapper(RouteMapper.class).route(phoneNumberId, appId));
    if (route == null) {
      log.info("webhook change for phone number id {} of app {}: no active profile; ignored", phoneNumberId, appId);
      return;
    }
    UUID profileId = route.profileId();
    TenantWork.call(crm.tenant(route.organizationId()).asSystem("whatsapp-webhook"), tx -> {
      // The route was read in another transaction: a profile deactivated or disproven since gets nothing.
      if (tx.mapper(ProfileMapper.class).lockRoutable(tx.organizationId(), profileId) == null) {
        log.info("webhook change for profile {}: deactivated or no longer proven meanwhile; ignored", profileId);
        return null;
      }
      Map<String, JsonNode> contacts = new LinkedHashMap<>();
      for (JsonNode contact : value.path("contacts")) {
        if (contact.hasNonNull("wa_id")) {
          contacts.put("wa:" + contact.get("wa_id").asText(), contact);
        }
        if (contact.hasNonNull("user_id")) {
          contacts.put("user:" + contact.get("user_id").asText(), contact);
        }
      }
      // One sender after another, in a fixed order: two deliveries holding locks on the same
      // contacts and conversations then take them in the same order and cannot deadlock.
      java.util.List<JsonNode> messages = new java.util.ArrayList<>();
      value.path("messages").forEach(messages::add);
      messages.sort(java.util.Comparator.comparing((JsonNode m) -> m.path("from").asText() + "|"
          + m.path("from_user_id").asText()).thenComparing(m -> m.path("timestamp").asText()));
      for (JsonNode message : messages) {
        inbound(tx, profileId, message, contactOf(message, contacts, value.path("contacts")));
      }
      // In wamid order, so concurrent deliveries take the per-wamid and conversation locks in one order.
      java.util.List<JsonNode> statuses = new java.util.ArrayList<>();
      value.path("statuses").forEach(statuses::add);
      statuses.sort(java.util.Comparator.comparing((JsonNode st) -> st.path("id").asText())
          .thenComparing(st -> st.path("timestamp").asText()));
      for (JsonNode status : statuses) {
        status(tx, profileId, status);
      }
      return null;
    });
  }

  private static JsonNode contactOf(JsonNode message, Map<String, JsonNode> contacts, JsonNode all) {
    JsonNode byPhone = contacts.get("wa:" + message.path("from").asText());
    if (byPhone != null) {
      return byPhone;
    }
    JsonNode byUser = contacts.get("user:" + message.path("from_user_id").asText());
    if (byUser != null) {
      return byUser;
    }
    return all.size() == 1 ? all.get(0) : JSON.createObjectNode();
  }

  private void inbound(TenantTransaction tx, UUID profileId, JsonNode message, JsonNode contact) throws SQLException {
    String waMessageId = message.path("id").asText("");
    if (waMessageId.isEmpty() || waMessageId.length() > 256) {
      // Permanent: Meta would deliver the same body for days. Logged and skipped, not failed.
      log.warn("webhook message without a usable id skipped (type {})", message.path("type").asText());
      return;
    }
    String bsuid = bsuid(text(contact, "user_id").or(() -> text(message, "from_user_id")).orElse(null));
    // wa_id is digits without '+': the number is international as it stands, never read in the tenant's region.
    String phone = phone(text(message, "from").or(() -> text(contact, "wa_id")).orElse(null));
    IdentityChange change = "system".equals(message.path("type").asText()) ? IdentityChange.of(message) : null;
    if (change != null && change.previousUserId() != null) {
      // The user's id before the change names the contact; the message's own may be the new one.
      bsuid = change.previousUserId();
    }
    if (bsuid == null && phone == null) {
      log.warn("webhook message {} names neither a phone nor a business-scoped user id; skipped", waMessageId);
      return;
    }
    // Deliveries naming the same message or the same user (by id or phone, before or after a
    // change) take their turns: a redelivery sees the first copy stored, and a change of identity
    // and a message from the new identity never both create the user.
    java.util.TreeSet<String> keys = new java.util.TreeSet<>();
    keys.add("crmkit.whatsapp.wamid:" + waMessageId);
    for (String identity : java.util.Arrays.asList(bsuid, phone, change == null ? null : change.newUserId(),
        change == null ? null : change.newPhone())) {
      if (identity != null) {
        keys.add("crmkit.whatsapp.contact:" + profileId + ":" + identity);
      }
    }
    try (PreparedStatement lock = tx.connection().prepareStatement("select count(pg_advisory_xact_lock("
        + "hashtextextended(k, 0))) from (select unnest(?::text[]) k order by 1) s")) {
      lock.setArray(1, tx.connection().createArrayOf("text", keys.toArray()));
      lock.executeQuery().close();
    }
    if (tx.queryForId("select id from " + tx.table("messages") + " where organization_id = ? and wa_message_id = ?",
        tx.organizationId(), waMessageId) != null) {
      // Checked before the contact: a redelivery after the user changed number must not leave behind
      // an empty contact and conversation for the old one.
      log.debug("webhook message {} was stored before; nothing done again", waMessageId);
      return;
    }
    String name = cut(contact.path("profile").path("name").asText(null), 255);
    String username = cut(text(contact, "username").or(() -> text(contact.path("profile"), "username")).orElse(null), 100);
    Instant at = Instant.ofEpochSecond(message.path("timestamp").asLong(tx.now().getEpochSecond()));
    InboundContent content = InboundContent.of(message);

    UUID contactId = contact(tx, profileId, bsuid, phone, name, username);
    Conversation conversation = conversation(tx, profileId, contactId);
    UUID messageId = insertMessage(tx, conversation.id, waMessageId, content, message, at);
    if (messageId == null) {
      log.debug("webhook message {} was stored before; nothing done again", waMessageId);
      return;
    }
    if (change != null) {
      // A notice from WhatsApp, not the user writing: no unread, no 24-hour window, no activity.
      changeIdentity(tx, conversation.id, contactId, change);
      return;
    }
    UUID customerId = conversation.customerId != null ? conversation.customerId
        : linkCustomer(tx, contactId, conversation.id, phone, name != null ? name : username);
    tx.update("update " + tx.table("conversations") + " set unread_count = unread_count + 1,"
        + " last_inbound_at = greatest(last_inbound_at, ?),"
        + " last_message_preview = case when last_message_at is null or last_message_at <= ? then ? else last_message_preview end,"
        + " last_message_at = greatest(last_message_at, ?), activity_at = greatest(activity_at, ?)"
        + " where organization_id = ? and id = ?",
        Timestamp.from(at), Timestamp.from(at), content.preview(), Timestamp.from(at), Timestamp.from(at),
        tx.organizationId(), conversation.id);
    if (customerId != null) {
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("direction", "inbound");
      metadata.put("conversation_id", conversation.id.toString());
      metadata.put("message_id", messageId.toString());
      metadata.put("wa_message_id", waMessageId);
      tx.scope().customers().logActivity(customerId, "message", Optional.of(content.preview()), metadata);
    }
    events.append(tx, conversation.id, EventCodec.messageReceived(messageId, waMessageId, content.type(),
        Optional.ofNullable(customerId)));
  }

  /** The contact for a BSUID (first) or phone, created or completed with what this delivery tells. */
  private static UUID contact(TenantTransaction tx, UUID profileId, String bsuid, String phone, String name,
      String username) throws SQLException {
    String table = tx.table("whatsapp_contacts");
    String columns = "select id, bsuid, wa_phone, username, display_name from " + table
        + " where organization_id = ? and profile_id = ?";
    ContactRow found = bsuid == null ? null : contactRow(tx, columns + " and bsuid = ? for no key update", profileId,
        bsuid);
    boolean retired = false;
    if (found == null && bsuid != null) {
      // Sent before the user's id changed, delivered after: still the same person and conversation.
      found = contactRow(tx, columns + " and previous_bsuid = ? order by updated_at desc limit 1 for no key update",
          profileId, bsuid);
      retired = found != null;
    }
    String newPhone = phone;
    if (found == null && phone != null) {
      ContactRow byPhone = contactRow(tx, columns + " and wa_phone = ? for no key update", profileId, phone);
      if (byPhone != null && bsuid != null && byPhone.bsuid() != null) {
        // The number is known with another business-scoped id: it went to someone else (or the
        // user's change notice never came). A contact of its own, without the number, rather than
        // another person's conversation.
        log.info("WhatsApp number of contact {} now comes with another user id; a new contact without it",
            byPhone.id());
        newPhone = null;
      } else {
        found = byPhone;
      }
    }
    if (found == null) {
      UUID created = tx.queryForId("insert into " + table + " (organization_id, profile_id, bsuid, wa_phone, username,"
          + " display_name) values (?, ?, ?, ?, ?, ?) on conflict do nothing returning id", tx.organizationId(),
          profileId, bsuid, newPhone, username, name);
      if (created == null) {
        // A concurrent delivery created it first (the insert waited for it to commit).
        return contact(tx, profileId, bsuid, phone, name, username);
      }
      return created;
    }
    if (retired) {
      bsuid = null; // found by the id it had: that id stays retired
    }
    if ((bsuid == null || found.bsuid() != null) && (phone == null || found.phone() != null)
        && (username == null || username.equals(found.username())) && (name == null || name.equals(found.name()))) {
      return found.id(); // the usual case: the delivery tells nothing new
    }
    // Fill in what this contact lacks, unless another contact of the profile holds it (a user first
    // seen by phone and, separately, by BSUID): then both stay as they are rather than fail the delivery.
    tx.update("update " + table + " c set"
        + " bsuid = coalesce(c.bsuid, (select ?::text where not exists (select 1 from " + table + " o"
        + " where o.organization_id = c.organization_id and o.profile_id = c.profile_id and o.bsuid = ?))),"
        + " wa_phone = coalesce(c.wa_phone, (select ?::text where not exists (select 1 from " + table + " o"
        + " where o.organization_id = c.organization_id and o.profile_id = c.profile_id and o.wa_phone = ?))),"
        + " username = coalesce(?, c.username), display_name = coalesce(?, c.display_name)"
        + " where c.organization_id = ? and c.id = ?", bsuid, bsuid, phone, phone, username, name, tx.organizationId(),
        found.id());
    return found.id();
  }

  private record ContactRow(UUID id, String bsuid, String phone, String username, String name) {}

  private static ContactRow contactRow(TenantTransaction tx, String sql, UUID profileId, String key)
      throws SQLException {
    try (PreparedStatement ps = tx.connection().prepareStatement(sql)) {
      ps.setObject(1, tx.organizationId());
      ps.setObject(2, profileId);
      ps.setString(3, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new ContactRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
            rs.getString(4), rs.getString(5)) : null;
      }
    }
  }

  private record Conversation(UUID id, UUID customerId) {}

  /** The contact's conversation, created if new, locked for the rest of the transaction. */
  private static Conversation conversation(TenantTransaction tx, UUID profileId, UUID contactId) throws SQLException {
    String table = tx.table("conversations");
    tx.update("insert into " + table + " (organization_id, profile_id, contact_id, customer_id)"
        + " select ?, ?, ?, customer_id from " + tx.table("whatsapp_contacts") + " where organization_id = ? and id = ?"
        + " on conflict (organization_id, profile_id, contact_id) do nothing",
        tx.organizationId(), profileId, contactId, tx.organizationId(), contactId);
    try (PreparedStatement ps = tx.connection().prepareStatement("select id, customer_id from " + table
        + " where organization_id = ? and profile_id = ? and contact_id = ? for update")) {
      ps.setObject(1, tx.organizationId());
      ps.setObject(2, profileId);
      ps.setObject(3, contactId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Conversation(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class));
      }
    }
  }

  private static UUID insertMessage(TenantTransaction tx, UUID conversationId, String waMessageId,
      InboundContent content, JsonNode message, Instant at) throws SQLException {
    try (PreparedStatement ps = tx.connection().prepareStatement("insert into " + tx.table("messages")
        + " (organization_id, conversation_id, direction, wa_message_id, message_type, body, context_wa_message_id,"
        + " media_id, media_mime_type, media_filename, payload, status, provider_timestamp)"
        + " values (?, ?, 'inbound', ?, ?, ?, ?, ?, ?, ?, ?::jsonb, 'received', ?)"
        + " on conflict (organization_id, wa_message_id) where wa_message_id is not null do nothing returning id")) {
      ps.setObject(1, tx.organizationId());
      ps.setObject(2, conversationId);
      ps.setString(3, waMessageId);
      ps.setString(4, content.type());
      ps.setString(5, content.body());
      ps.setString(6, content.contextId());
      ps.setString(7, content.mediaId());
      ps.setString(8, content.mimeType());
      ps.setString(9, content.filename());
      ps.setString(10, message.toString());
      ps.setTimestamp(11, Timestamp.from(at));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getObject(1, UUID.class) : null;
      }
    }
  }

  /**
   * Finds or creates the customer of a new conversation and links contact and conversation to it.
   * At {@code max_customers} the message is kept without a customer, and the breach is logged.
   */
  private UUID linkCustomer(TenantTransaction tx, UUID contactId, UUID conversationId, String phone,
      String name) throws SQLException {
    UUID customerId = tx.queryForId("select customer_id from " + tx.table("whatsapp_contacts")
        + " where organization_id = ? and id = ?", tx.organizationId(), contactId);
    if (customerId == null) {
      CustomerService customers = tx.scope().customers();
      try {
        if (phone != null) {
          CustomerDraft.Builder draft = CustomerDraft.builder().source(CustomerSource.WHATSAPP);
          if (name != null && !name.isBlank()) {
            draft.fullName(name.strip());
          }
          customerId = customers.findOrCreateByPhone(phone, draft.whatsappPhone(phone).build()).customer().id();
        } else {
          customerId = customers.create(CustomerDraft.builder().source(CustomerSource.WHATSAPP)
              .fullName(name == null || name.isBlank() ? "WhatsApp user" : name.strip()).build()).id();
        }
      } catch (LimitExceededException e) {
        log.warn("organization {} is at max_customers ({}): WhatsApp conversation {} stays without a customer",
            tx.organizationId(), e.value(), conversationId);
        events.append(tx, conversationId, EventCodec.customerLimitReached(e.limit(), e.value(), e.planSlug()));
        return null;
      } catch (io.crmkit.core.exception.ValidationException e) {
        log.warn("WhatsApp conversation {} stays without a customer: {}", conversationId, e.getMessage());
        return null;
      }
      tx.update("update " + tx.table("whatsapp_contacts") + " set customer_id = ? where organization_id = ? and id = ?",
          customerId, tx.organizationId(), contactId);
    }
    tx.update("update " + tx.table("conversations") + " set customer_id = ? where organization_id = ? and id = ?",
        customerId, tx.organizationId(), conversationId);
    return customerId;
  }

  /** A delivery status of an outbound message: it only moves forward (a late delivered never downgrades read). */
  private void status(TenantTransaction tx, UUID profileId, JsonNode status) throws SQLException {
    String waMessageId = status.path("id").asText("");
    String state = status.path("status").asText("");
    if (!state.matches("sent|delivered|read|failed")) {
      log.debug("ignoring status {} of {}", state, waMessageId);
      return;
    }
    JsonNode error = status.path("errors").path(0);
    Instant at = Instant.ofEpochSecond(status.path("timestamp").asLong(tx.now().getEpochSecond()));
    // Serializes with the send that records this wamid (ReplySender): one sees the other's work.
    try (PreparedStatement lock = tx.connection().prepareStatement(
        "select pg_advisory_xact_lock(hashtextextended(?, 0))")) {
      lock.setString(1, "crmkit.whatsapp.wamid:" + waMessageId);
      lock.executeQuery().close();
    }
    if (tx.queryForId("select id from " + tx.table("messages") + " where organization_id = ? and wa_message_id = ?"
        + " and direction = 'outbound'", tx.organizationId(), waMessageId) == null
        && !attachByTag(tx, profileId, waMessageId, status.path("biz_opaque_callback_data").asText(""))) {
      // Earlier than the send's record: kept until the send records the wamid. A send records it
      // within seconds; what is older than a day is for wamids we never sent (another tool on the number).
      // SKIP LOCKED: rows another delivery holds are left to a later purge, never waited for while
      // this one holds wamid locks.
      tx.update("delete from " + tx.table("whatsapp_early_statuses") + " where (organization_id, wa_message_id,"
          + " status) in (select organization_id, wa_message_id, status from " + tx.table("whatsapp_early_statuses")
          + " where organization_id = ? and received_at < now() - interval '1 day' for update skip locked)",
          tx.organizationId());
      tx.update("insert into " + tx.table("whatsapp_early_statuses") + " (organization_id, wa_message_id, status,"
          + " status_at, error_code, error_message, pricing) values (?, ?, ?, ?, ?, ?, ?::jsonb) on conflict do nothing",
          tx.organizationId(), waMessageId, state, Timestamp.from(at),
          error.has("code") ? error.get("code").asInt() : null,
          error.has("code") ? error.path("title").asText(error.path("message").asText("")) : null,
          status.has("pricing") ? status.get("pricing").toString() : null);
      return;
    }
    if (status.has("pricing") || error.has("code")) {
      // Pricing and errors are kept whatever order the statuses arrive in.
      tx.update("update " + tx.table("messages") + " set pricing = coalesce(?::jsonb, pricing),"
          + " error_code = coalesce(?, error_code), error_message = coalesce(?, error_message)"
          + " where organization_id = ? and wa_message_id = ? and direction = 'outbound'",
          status.has("pricing") ? status.get("pricing").toString() : null,
          error.has("code") ? error.get("code").asInt() : null,
          error.has("code") ? error.path("title").asText(error.path("message").asText("")) : null,
          tx.organizationId(), waMessageId);
    }
    UUID changedIn = null;
    UUID changedMessage = null;
    try (PreparedStatement ps = tx.connection().prepareStatement("update " + tx.table("messages")
        + " set status = ?, status_at = ?, error_code = coalesce(?, error_code), error_message = coalesce(?, error_message),"
        + " pricing = coalesce(?::jsonb, pricing)"
        + " where organization_id = ? and wa_message_id = ? and direction = 'outbound'"
        + " and (case status when 'pending' then 0 when 'sending' then 0 when 'unknown' then 0 when 'sent' then 1"
        + " when 'delivered' then 2"
        + " when 'read' then 3 else 4 end)"
        + " < (case ? when 'sent' then 1 when 'delivered' then 2 when 'read' then 3 else 4 end)"
        + " and not (? = 'failed' and status in ('delivered', 'read')) returning conversation_id, id")) {
      ps.setString(1, state);
      ps.setTimestamp(2, Timestamp.from(at));
      ps.setObject(3, error.has("code") ? error.get("code").asInt() : null, java.sql.Types.INTEGER);
      ps.setString(4, error.has("code") ? error.path("title").asText(error.path("message").asText("")) : null);
      ps.setString(5, status.has("pricing") ? status.get("pricing").toString() : null);
      ps.setObject(6, tx.organizationId());
      ps.setString(7, waMessageId);
      ps.setString(8, state);
      ps.setString(9, state);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          changedIn = rs.getObject(1, UUID.class);
          changedMessage = rs.getObject(2, UUID.class);
        }
      }
    }
    if (changedIn != null) {
      events.append(tx, changedIn, EventCodec.messageStatus(changedMessage, Optional.of(waMessageId), state));
    } else {
      log.debug("status {} of {} changed nothing (older than the stored one, or the send is not recorded)", state,
          waMessageId);
    }
  }

  /**
   * What a system message says changed: a new phone ({@code user_changed_number}, which also gives
   * the user a new business-scoped id) or a new business-scoped id ({@code user_changed_user_id}).
   *
   * @param kind the system message's type
   * @param previousUserId the business-scoped id before the change, if WhatsApp gave it
   * @param newUserId the business-scoped id after the change, if WhatsApp gave it
   * @param newPhone the phone after the change, for a changed number
   */
  record IdentityChange(String kind, String previousUserId, String newUserId, String newPhone) {
    static IdentityChange of(JsonNode message) {
      JsonNode system = message.path("system");
      String kind = system.path("type").asText("");
      String previous = bsuid(text(system, "previous_user_id").orElse(null));
      // The new id is named in the notice; the message's sender id counts as new only when the
      // notice also names the old one (otherwise it is the id the contact is known by).
      String next = bsuid(text(system, "user_id").orElse(null));
      if (next == null && previous != null) {
        next = bsuid(text(message, "from_user_id").orElse(null));
      }
      if (next != null && next.equals(previous)) {
        next = null;
      }
      boolean numberChanged = kind.equals("user_changed_number") || kind.equals("customer_changed_number");
      return new IdentityChange(kind, previous, next,
          numberChanged ? phone(text(system, "wa_id").orElse(null)) : null);
    }
  }

  /**
   * Moves the contact to its new phone and business-scoped id, keeping the id it had in
   * previous_bsuid. A new phone also retires the old id, which WhatsApp replaces. An identity that
   * another contact of the profile holds already is not taken from it: both stay as they are.
   */
  private void changeIdentity(TenantTransaction tx, UUID conversationId, UUID contactId, IdentityChange change)
      throws SQLException {
    String table = tx.table("whatsapp_contacts");
    String bsuid;
    String phone;
    try (PreparedStatement ps = tx.connection().prepareStatement("select bsuid, wa_phone from " + table
        + " where organization_id = ? and id = ?")) {
      ps.setObject(1, tx.organizationId());
      ps.setObject(2, contactId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        bsuid = rs.getString(1);
        phone = rs.getString(2);
      }
    }
    String newPhone = phone;
    if (change.newPhone() != null && !change.newPhone().equals(phone)) {
      if (heldByAnother(tx, contactId, "wa_phone", change.newPhone())) {
        log.warn("WhatsApp contact {} changed number, but another contact of its profile has the new one; both kept",
            contactId);
      } else {
        newPhone = change.newPhone();
      }
    }
    String newBsuid = bsuid;
    if (change.newUserId() != null && !change.newUserId().equals(bsuid)) {
      if (heldByAnother(tx, contactId, "bsuid", change.newUserId())) {
        log.warn("WhatsApp contact {} changed user id, but another contact of its profile has the new one; both kept",
            contactId);
      } else {
        newBsuid = change.newUserId();
      }
    } else if (change.newUserId() == null && !java.util.Objects.equals(newPhone, phone) && bsuid != null) {
      // A new number comes with a new id, told with the user's next message; the old one is retired.
      newBsuid = null;
    }
    if (java.util.Objects.equals(newBsuid, bsuid) && java.util.Objects.equals(newPhone, phone)) {
      return;
    }
    String previousBsuid = java.util.Objects.equals(newBsuid, bsuid) ? null : bsuid;
    tx.update("update " + table + " set bsuid = ?, wa_phone = ?, previous_bsuid = coalesce(?, previous_bsuid)"
        + " where organization_id = ? and id = ?", newBsuid, newPhone, previousBsuid, tx.organizationId(), contactId);
    events.append(tx, conversationId, EventCodec.contactChanged(contactId, change.kind(), phone, newPhone, bsuid,
        newBsuid));
  }

  private static boolean heldByAnother(TenantTransaction tx, UUID contactId, String column, String value)
      throws SQLException {
    String table = tx.table("whatsapp_contacts");
    return tx.queryForId("select o.id from " + table + " o join " + table + " c on c.organization_id = o.organization_id"
        + " and c.profile_id = o.profile_id where c.organization_id = ? and c.id = ? and o." + column + " = ?"
        + " and o.id <> c.id", tx.organizationId(), contactId, value) != null;
  }

  /**
   * A status for a wamid no send recorded, tagged with one of our replies (see ReplySender.tag):
   * the reply whose answer was lost, or has not come yet. Gives it the wamid, so this status and
   * every later one apply to it. Only this tenant's replies on this profile are found.
   */
  private static boolean attachByTag(TenantTransaction tx, UUID profileId, String waMessageId, String tag)
      throws SQLException {
    if (!tag.startsWith(ReplySender.TAG_PREFIX) || waMessageId.isEmpty() || waMessageId.length() > 256) {
      return false;
    }
    UUID messageId;
    try {
      messageId = UUID.fromString(tag.substring(ReplySender.TAG_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      return false;
    }
    String messages = tx.table("messages");
    return tx.update("update " + messages + " m set wa_message_id = ? where m.organization_id = ? and m.id = ?"
        + " and m.direction = 'outbound' and m.wa_message_id is null and m.status in ('sending', 'unknown')"
        + " and exists (select 1 from " + tx.table("conversations") + " c where c.organization_id = m.organization_id"
        + " and c.id = m.conversation_id and c.profile_id = ?)", waMessageId, tx.organizationId(), messageId,
        profileId) > 0;
  }

  /** A business-scoped user id as WhatsApp writes it ({@code SA.1234…}), or null. */
  private static String bsuid(String value) {
    return value != null && value.matches("[A-Z]{2}\\.[A-Za-z0-9.]{1,140}") ? value : null;
  }

  /** A wa_id (digits, no '+') as E.164, or null. */
  private static String phone(String digits) {
    return digits != null && digits.matches("[1-9][0-9]{6,14}") ? "+" + digits : null;
  }

  private static String cut(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText()) : Optional.empty();
  }

}
