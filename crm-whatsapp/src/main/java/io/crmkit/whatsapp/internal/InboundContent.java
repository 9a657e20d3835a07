package io.crmkit.whatsapp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * What an inbound Cloud API message carries, in the messages table's terms: its type, a text body
 * where there is one (text, caption, reaction, button or list reply, location, system notice), the
 * message it replies to, media metadata, and a preview for the inbox.
 *
 * @param type one of the messages table's types
 * @param body the text, if any
 * @param contextId the WhatsApp id of the message replied or reacted to, if any
 * @param mediaId the media's id at the Cloud API, for the fetch after commit
 * @param mimeType the media's type
 * @param filename a document's file name
 * @param preview at most 200 characters for the inbox list
 */
record InboundContent(String type, String body, String contextId, String mediaId, String mimeType, String filename,
    String preview) {
  private static final Set<String> MEDIA = Set.of("image", "audio", "video", "document", "sticker");
  private static final Set<String> KNOWN = Set.of("text", "image", "audio", "video", "document", "sticker", "location",
      "contacts", "reaction", "interactive", "button", "system", "unsupported");

  static InboundContent of(JsonNode message) {
    String type = message.path("type").asText("unsupported");
    if (!KNOWN.contains(type)) {
      type = "unsupported";
    }
    String body = null;
    String context = text(message.path("context"), "id");
    String mediaId = null;
    String mimeType = null;
    String filename = null;
    switch (type) {
      case "text" -> body = text(message.path("text"), "body");
      case "reaction" -> {
        body = text(message.path("reaction"), "emoji");
        context = text(message.path("reaction"), "message_id");
      }
      case "button" -> body = text(message.path("button"), "text");
      case "interactive" -> {
        JsonNode reply = message.path("interactive").path(message.path("interactive").path("type").asText(""));
        body = text(reply, "title");
      }
      case "location" -> {
        JsonNode location = message.path("location");
        String place = String.join(", ", java.util.stream.Stream.of(text(location, "name"), text(location, "address"))
            .filter(java.util.Objects::nonNull).toList());
        body = (place.isEmpty() ? "" : place + " ") + "(" + location.path("latitude").asText() + ", "
            + location.path("longitude").asText() + ")";
      }
      case "system" -> body = text(message.path("system"), "body");
      case "unsupported" -> body = text(message.path("errors").path(0), "title");
      default -> {
        if (MEDIA.contains(type)) {
          JsonNode media = message.path(type);
          mediaId = text(media, "id");
          mimeType = text(media, "mime_type");
          filename = text(media, "filename");
          body = text(media, "caption");
        }
      }
    }
    return new InboundContent(type, body, context, mediaId, mimeType, filename, preview(body, type));
  }

  /**
   * What the inbox list shows of a message, inbound or a reply: its text, else its type in
   * brackets ({@code [image]}), at most 200 characters.
   */
  static String preview(String body, String type) {
    String preview = body != null && !body.isBlank() ? body : "[" + type + "]";
    return preview.length() > 200 ? Identities.cut(preview, 199) + "…" : preview;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isValueNode() && !value.isNull() && !value.asText().isEmpty() ? value.asText() : null;
  }
}
