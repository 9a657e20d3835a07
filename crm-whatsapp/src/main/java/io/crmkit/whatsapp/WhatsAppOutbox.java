package io.crmkit.whatsapp;

/**
 * The transactional outbox of WhatsApp events across all tenants, for a host process that
 * consumes them (a workflow engine, a queue): at least once, in order per conversation. Events
 * come as the same records listeners get ({@link WhatsAppEvent.MessageReceived}, …), decoded from
 * each row's type and payload.
 *
 * <pre>{@code
 * WhatsAppOutbox outbox = crm.service(WhatsAppOutbox.class);
 * while (outbox.drain(100, event -> queue.publish(event)) > 0) { }
 * }</pre>
 */
public interface WhatsAppOutbox {

  /** Handles one event; throwing leaves it (and its conversation's later events) for a later drain. */
  @FunctionalInterface
  interface Handler {
    /** Handles the event. */
    void handle(WhatsAppEvent event) throws Exception;
  }

  /**
   * Claims up to {@code max} events, hands each to {@code handler}, and acknowledges those it
   * handled, all in one transaction: concurrent drains share the work and never take the same
   * event. A conversation's events come as a run in their order, starting at its earliest
   * unacknowledged one; no other drain gets its later events meanwhile. An event whose handler
   * threw counts an attempt and stays, and so do the rest of its run (without an attempt), so a
   * conversation's events are never handled out of order.
   *
   * @param max how many events at most, 1 to 1000
   * @return how many events were handled and acknowledged
   * @throws io.crmkit.core.exception.ValidationException on {@code max} out of range
   */
  int drain(int max, Handler handler);
}
