package io.crmkit.whatsapp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkit.core.spi.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The items of one {@code entry[].changes[].value} of a delivery, in the order they are stored:
 * messages one sender after another (then by time), then statuses by wamid, so that two deliveries
 * holding locks on the same contacts, conversations and wamids take them in one order and cannot
 * deadlock. Each item can stand alone, as a dead letter: the item with the change's metadata and
 * the contact that describes its sender.
 */
final class ChangeItems {
  /** The latest second a timestamptz holds; a time past it (or before 1970) is taken as the transaction's. */
  private static final long LATEST_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
  private final JsonNode metadata;
  private final List<Item> items;

  /**
   * A message or a status of the change.
   *
   * @param message true for a message (an identity change is a system message), false for a status
   * @param node the item as received
   * @param contact the {@code contacts[]} entry that describes a message's sender (an empty object if none does)
   */
  record Item(boolean message, JsonNode node, JsonNode contact) {
    /** The item's name among the dead letters of {@code whatsapp.webhook}: one letter per message or status. */
    String key() {
      String id = node.path("id").asText("");
      if (message && id.isEmpty()) {
        // A message without an id (a dead letter by that alone) is named by its content.
        return "message:no-id:" + Integer.toHexString(node.toString().hashCode());
      }
      return message ? "message:" + id
          : "status:" + node.path("id").asText() + ":" + node.path("status").asText() + ":"
              + node.path("timestamp").asText();
    }
  }

  private ChangeItems(JsonNode metadata, List<Item> items) {
    this.metadata = metadata;
    this.items = List.copyOf(items);
  }

  /** The items of a change's value. */
  static ChangeItems of(JsonNode value) {
    JsonNode contacts = value.path("contacts");
    Map<String, JsonNode> byIdentity = new LinkedHashMap<>();
    for (JsonNode contact : array(contacts)) {
      if (contact.hasNonNull("wa_id")) {
        byIdentity.put("wa:" + contact.get("wa_id").asText(), contact);
      }
      if (contact.hasNonNull("user_id")) {
        byIdentity.put("user:" + contact.get("user_id").asText(), contact);
      }
    }
    List<JsonNode> messages = new ArrayList<>(array(value.path("messages")));
    messages.sort(Comparator.comparing((JsonNode m) -> m.path("from").asText() + "|" + m.path("from_user_id").asText())
        .thenComparing(m -> m.path("timestamp").asText()));
    List<JsonNode> statuses = new ArrayList<>(array(value.path("statuses")));
    statuses.sort(Comparator.comparing((JsonNode st) -> st.path("id").asText())
        .thenComparing(st -> st.path("timestamp").asText()));
    List<Item> items = new ArrayList<>();
    for (JsonNode message : messages) {
      items.add(new Item(true, message, contactOf(message, byIdentity, contacts)));
    }
    for (JsonNode status : statuses) {
      items.add(new Item(false, status, Json.MAPPER.createObjectNode()));
    }
    return new ChangeItems(value.path("metadata"), items);
  }

  /** The items, in the order they are stored. */
  List<Item> items() {
    return items;
  }

  /**
   * {@code item} as a dead letter of the profile it was routed to: the profile's id and a change
   * value holding only this item, its sender's contact and the change's metadata, which
   * {@link #of} reads back as that one item.
   */
  JsonNode letter(UUID profileId, Item item) {
    ObjectNode value = Json.MAPPER.createObjectNode();
    value.set("metadata", metadata.isMissingNode() ? Json.MAPPER.createObjectNode() : metadata);
    ArrayNode contacts = value.putArray("contacts");
    if (!item.contact().isEmpty()) {
      contacts.add(item.contact());
    }
    value.putArray(item.message() ? "messages" : "statuses").add(item.node());
    ObjectNode letter = Json.MAPPER.createObjectNode();
    letter.put("profile_id", profileId.toString());
    letter.set("value", value);
    return letter;
  }

  /**
   * The time an item names ({@code timestamp}, epoch seconds as text), or {@code fallback} when it
   * names none, or one no timestamptz holds (it would fail the item for good).
   */
  static Instant at(JsonNode item, Instant fallback) {
    long seconds = item.path("timestamp").asLong(Long.MIN_VALUE);
    return seconds < 0 || seconds > LATEST_SECOND ? fallback : Instant.ofEpochSecond(seconds);
  }

  /** The contact entry that describes a message's sender: by phone, then by user id, else the only one. */
  private static JsonNode contactOf(JsonNode message, Map<String, JsonNode> byIdentity, JsonNode all) {
    JsonNode byPhone = byIdentity.get("wa:" + message.path("from").asText());
    if (byPhone != null) {
      return byPhone;
    }
    JsonNode byUser = byIdentity.get("user:" + message.path("from_user_id").asText());
    if (byUser != null) {
      return byUser;
    }
    return all.isArray() && all.size() == 1 && all.get(0).isObject() ? all.get(0) : Json.MAPPER.createObjectNode();
  }

  /** The elements of an array (nothing for anything else: an object's fields are no items). */
  private static List<JsonNode> array(JsonNode node) {
    List<JsonNode> elements = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(elements::add);
    }
    return elements;
  }
}
