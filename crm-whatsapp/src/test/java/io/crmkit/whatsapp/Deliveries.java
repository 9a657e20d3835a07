package io.crmkit.whatsapp;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.crmkit.core.spi.Json;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Webhook deliveries as Meta builds them, for the tests that send them: JSON text put together
 * piece by piece, so a test can put in exactly the escapes and bytes it means (a {@code \ud800}
 * escape, a NUL, bytes that are not UTF-8). A {@code literal} parameter is a JSON value written
 * out, e.g. {@code quoted("hi")} or {@code "\"a\\ud800b\""}.
 */
final class Deliveries {
  /** The Meta app the tests' profiles belong to, and its secret. */
  static final String APP = "111";
  static final String SECRET = "app-secret-111";
  private static final AtomicLong NUMBERS = new AtomicLong(500_000_000_000_000L);

  private Deliveries() {}

  /** A phone number id no other test uses. */
  static String phoneNumberId() {
    return Long.toString(NUMBERS.incrementAndGet());
  }

  /** {@code text} as a JSON string literal, escaped as Meta's encoder escapes it (a NUL as {@code \u0000}). */
  static String quoted(String text) {
    try {
      return Json.MAPPER.writeValueAsString(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** One {@code entry[].changes[]} item of field {@code messages}; the arrays' elements as JSON. */
  static String change(String phoneNumberId, String contacts, String messages, String statuses) {
    return "{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550783881\","
        + "\"phone_number_id\":\"" + phoneNumberId + "\"},\"contacts\":[" + contacts + "],\"messages\":[" + messages
        + "],\"statuses\":[" + statuses + "]},\"field\":\"messages\"}";
  }

  /** A delivery of these changes, as UTF-8. */
  static byte[] delivery(String... changes) {
    return json(changes).getBytes(StandardCharsets.UTF_8);
  }

  /** A delivery of these changes, as JSON text (for tests that put other bytes in). */
  static String json(String... changes) {
    return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":["
        + String.join(",", changes) + "]}]}";
  }

  /** A contact entry whose profile name is the JSON value {@code nameLiteral}. */
  static String contact(String waId, String nameLiteral) {
    return "{\"profile\":{\"name\":" + nameLiteral + "},\"wa_id\":\"" + waId + "\"}";
  }

  /** A text message whose body is the JSON value {@code bodyLiteral}. */
  static String text(String id, String from, long timestamp, String bodyLiteral) {
    return "{\"from\":\"" + from + "\",\"id\":\"" + id + "\",\"timestamp\":\"" + timestamp + "\",\"type\":\"text\","
        + "\"text\":{\"body\":" + bodyLiteral + "}}";
  }

  /** A delivery status of a message sent from the business number. */
  static String status(String id, String state, long timestamp) {
    return "{\"id\":\"" + id + "\",\"status\":\"" + state + "\",\"timestamp\":\"" + timestamp + "\","
        + "\"recipient_id\":\"966501110009\"}";
  }
}
