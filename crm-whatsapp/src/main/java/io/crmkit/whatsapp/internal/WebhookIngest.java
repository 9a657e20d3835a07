package io.crmkit.whatsapp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.DeadLetterBox;
import io.crmkit.core.spi.OutsideJson;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.whatsapp.WhatsAppWebhook;
import io.crmkit.whatsapp.spi.InboundTexts;
import io.crmkit.whatsapp.spi.MarketingPreferences;
import io.crmkit.whatsapp.spi.TaggedStatuses;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a verified webhook delivery: each change routed to its tenant and profile (the one
 * cross-tenant read, {@code route_whatsapp_webhook}), then stored in that tenant's transaction as
 * the system actor {@code whatsapp-webhook}: its messages ({@link InboundMessages}) and statuses
 * ({@link DeliveryStatuses}), or users' marketing preferences ({@link PreferenceChanges}). A change whose transaction fails for good is stored again item by
 * item, each in a transaction of its own, and an item that fails alone is kept as a dead letter of
 * {@value #SOURCE}, so the rest is stored and the delivery acknowledged; only a transient failure
 * is left for Meta to deliver again. Redeliveries store nothing twice, dead letters included.
 */
final class WebhookIngest {
  /** The dead letters' source: the items of deliveries this module could not store. */
  static final String SOURCE = "whatsapp.webhook";
  private static final String ACTOR = "whatsapp-webhook";
  private static final Logger log = LoggerFactory.getLogger(WebhookIngest.class);
  private final Crm crm;
  private final InboundMessages messages;
  private final DeliveryStatuses statuses;
  private final PreferenceChanges preferences;

  /**
   * Ingest into {@code crm}'s tenants, writing {@code events}; statuses of other modules' tagged
   * sends go to the handlers {@code tagged} gives, and new inbound texts to those {@code texts}
   * gives, and users' marketing preferences to those {@code preferences} gives (read at each item:
   * modules installed after this one offer theirs later).
   */
  WebhookIngest(Crm crm, Events events, Supplier<List<TaggedStatuses>> tagged, Supplier<List<InboundTexts>> texts,
      Supplier<List<MarketingPreferences>> preferences) {
    this.crm = crm;
    this.messages = new InboundMessages(events, texts);
    this.statuses = new DeliveryStatuses(events, tagged);
    this.preferences = new PreferenceChanges(preferences);
  }

  /**
   * Stores a delivery that {@code appId}'s secret verified: 200 once everything in it that can be
   * stored is stored (the rest kept as dead letters), 503 on a transient failure, 400 for a body
   * that is not a WhatsApp webhook.
   */
  WhatsAppWebhook.Response receive(String appId, byte[] rawBody) {
    JsonNode root;
    try {
      root = OutsideJson.read(rawBody);
    } catch (IOException e) {
      return new WhatsAppWebhook.Response(400, "malformed JSON");
    }
    if (!"whatsapp_business_account".equals(root.path("object").asText()) || !root.path("entry").isArray()) {
      return new WhatsAppWebhook.Response(400, "not a WhatsApp Business Account webhook");
    }
    try {
      for (JsonNode entry : root.path("entry")) {
        for (JsonNode change : entry.path("changes")) {
          String field = change.path("field").asText();
          if ("messages".equals(field)) {
            ingestChange(appId, change.path("value"));
          } else if ("user_preferences".equals(field) && preferences.wanted()) {
            ingestPreferences(appId, change.path("value"));
          } else {
            log.debug("ignoring a webhook change of field {}", field);
          }
        }
      }
      return new WhatsAppWebhook.Response(200, "ok");
    } catch (RuntimeException e) {
      if (DeadLetterBox.isTransient(e)) {
        log.warn("webhook delivery not wholly stored, Meta will deliver it again: {}", e.getMessage());
        return new WhatsAppWebhook.Response(503, "try again");
      }
      // Routing failed, or a dead letter could not be written: a server fault, not the delivery's.
      log.error("webhook delivery not wholly stored, Meta will deliver it again", e);
      return new WhatsAppWebhook.Response(500, "not stored");
    }
  }

  /**
   * Stores again, in {@code tx}, an item kept as a dead letter (see {@link ChangeItems#letter}), for
   * the profile it was routed to, if that profile still receives its number's deliveries.
   *
   * @throws ValidationException if the profile was deactivated or lost its proof meanwhile
   */
  void replay(TenantTransaction tx, JsonNode letter) {
    UUID profileId;
    try {
      profileId = UUID.fromString(letter.path("profile_id").asText());
    } catch (IllegalArgumentException e) {
      throw new ValidationException("profile_id", "is not a profile id");
    }
    if (!routable(tx, profileId)) {
      throw new ValidationException("profile_id", "the profile is deactivated or no longer proven for its number;"
          + " replay once it receives its number's deliveries again");
    }
    for (ChangeItems.Item item : ChangeItems.of(letter.path("value")).items()) {
      store(tx, profileId, item);
    }
  }

  /** The profile the change's number routes to, for {@code appId}; null (logged) if none. */
  private RouteMapper.Route route(String appId, JsonNode value) {
    String phoneNumberId = value.path("metadata").path("phone_number_id").asText("");
    RouteMapper.Route route = TenantWork.crossTenant(crm,
        c -> c.mapper(RouteMapper.class).route(phoneNumberId, appId));
    if (route == null) {
      log.info("webhook change for phone number id {} of app {}: no active profile; ignored", phoneNumberId, appId);
    }
    return route;
  }

  /**
   * A user_preferences change, in one transaction of the routed tenant; one that fails for good is
   * logged and acknowledged (Meta would only deliver it again), a transient failure thrown.
   */
  private void ingestPreferences(String appId, JsonNode value) {
    RouteMapper.Route route = route(appId, value);
    if (route == null) {
      return;
    }
    try {
      TenantWork.call(crm.tenant(route.organizationId()).asSystem(ACTOR), tx -> {
        if (routable(tx, route.profileId())) {
          preferences.apply(tx, route.profileId(), value);
        }
        return null;
      });
    } catch (RuntimeException e) {
      if (DeadLetterBox.isTransient(e)) {
        throw e;
      }
      log.error("user_preferences change for profile {} not stored", route.profileId(), e);
    }
  }

  private void ingestChange(String appId, JsonNode value) {
    RouteMapper.Route route = route(appId, value);
    if (route == null) {
      return;
    }
    UUID profileId = route.profileId();
    TenantScope scope = crm.tenant(route.organizationId()).asSystem(ACTOR);
    ChangeItems change = ChangeItems.of(value);
    try {
      // The usual case: the whole change in one transaction.
      TenantWork.call(scope, tx -> {
        if (routable(tx, profileId)) {
          change.items().forEach(item -> store(tx, profileId, item));
        }
        return null;
      });
    } catch (RuntimeException e) {
      if (DeadLetterBox.isTransient(e)) {
        throw e;
      }
      log.warn("webhook change for profile {} failed as a whole ({}); storing its {} items one by one", profileId,
          e.toString(), change.items().size());
      storeEachAlone(scope, profileId, change);
    }
  }

  /**
   * Each item in a transaction of its own; one that fails for good is kept as a dead letter in
   * another, and the others are stored. A transient failure is thrown: what is stored stays (a
   * redelivery stores it no second time) and Meta delivers the rest again.
   */
  private void storeEachAlone(TenantScope scope, UUID profileId, ChangeItems change) {
    for (ChangeItems.Item item : change.items()) {
      try {
        TenantWork.call(scope, tx -> {
          if (routable(tx, profileId)) {
            store(tx, profileId, item);
          }
          return null;
        });
      } catch (RuntimeException failure) {
        if (DeadLetterBox.isTransient(failure)) {
          throw failure;
        }
        if (TenantWork.call(scope, tx -> DeadLetterBox.keep(tx, SOURCE, item.key(), change.letter(profileId, item),
            failure))) {
          log.error("webhook item {} for profile {} failed alone; kept as a dead letter", item.key(), profileId,
              failure);
        } else {
          log.warn("webhook item {} for profile {} failed alone again ({}); its dead letter stays", item.key(),
              profileId, failure.toString());
        }
      }
    }
  }

  private void store(TenantTransaction tx, UUID profileId, ChangeItems.Item item) {
    if (item.message()) {
      messages.store(tx, profileId, item.node(), item.contact());
    } else {
      statuses.apply(tx, profileId, item.node());
    }
  }

  /**
   * Whether the profile still receives its number's deliveries: the route was read in another
   * transaction, and a profile deactivated or disproven since gets nothing.
   */
  private static boolean routable(TenantTransaction tx, UUID profileId) {
    if (tx.mapper(ProfileMapper.class).lockRoutable(tx.organizationId(), profileId) == null) {
      log.info("WhatsApp profile {} was deactivated or lost its proof meanwhile: nothing of the webhook item stored",
          profileId);
      return false;
    }
    return true;
  }
}
