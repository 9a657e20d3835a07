package io.crmkit.whatsapp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.core.Crm;
import io.crmkit.core.exception.RetryableException;
import io.crmkit.core.spi.Json;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.whatsapp.WhatsAppWebhook;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a verified webhook delivery: each change routed to its tenant and profile (the one
 * cross-tenant read, {@code route_whatsapp_webhook}), then stored in that tenant's transaction as
 * the system actor {@code whatsapp-webhook}: its messages ({@link InboundMessages}) and statuses
 * ({@link DeliveryStatuses}). Redeliveries store nothing twice.
 */
final class WebhookIngest {
  private static final Logger log = LoggerFactory.getLogger(WebhookIngest.class);
  private final Crm crm;
  private final InboundMessages messages;
  private final DeliveryStatuses statuses;

  /** Ingest into {@code crm}'s tenants, writing {@code events}. */
  WebhookIngest(Crm crm, Events events) {
    this.crm = crm;
    this.messages = new InboundMessages(events);
    this.statuses = new DeliveryStatuses(events);
  }

  /** Stores a delivery that {@code appId}'s secret verified; 200 only once every change has committed. */
  WhatsAppWebhook.Response receive(String appId, byte[] rawBody) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(rawBody);
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
      List<JsonNode> inbound = new ArrayList<>();
      value.path("messages").forEach(inbound::add);
      inbound.sort(Comparator.comparing((JsonNode m) -> m.path("from").asText() + "|"
          + m.path("from_user_id").asText()).thenComparing(m -> m.path("timestamp").asText()));
      for (JsonNode message : inbound) {
        messages.store(tx, profileId, message, contactOf(message, contacts, value.path("contacts")));
      }
      // In wamid order, so concurrent deliveries take the per-wamid and conversation locks in one order.
      List<JsonNode> reported = new ArrayList<>();
      value.path("statuses").forEach(reported::add);
      reported.sort(Comparator.comparing((JsonNode st) -> st.path("id").asText())
          .thenComparing(st -> st.path("timestamp").asText()));
      for (JsonNode status : reported) {
        statuses.apply(tx, profileId, status);
      }
      return null;
    });
  }

  /** The contact entry that describes a message's sender: by phone, then by user id, else the only one. */
  private static JsonNode contactOf(JsonNode message, Map<String, JsonNode> contacts, JsonNode all) {
    JsonNode byPhone = contacts.get("wa:" + message.path("from").asText());
    if (byPhone != null) {
      return byPhone;
    }
    JsonNode byUser = contacts.get("user:" + message.path("from_user_id").asText());
    if (byUser != null) {
      return byUser;
    }
    return all.size() == 1 ? all.get(0) : Json.MAPPER.createObjectNode();
  }
}
