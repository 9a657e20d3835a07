package io.crmkit.whatsapp;

/**
 * Hears WhatsApp events in this process, once the transaction that caused them has committed
 * (never for one that rolled back). A failing listener is logged and does not undo anything; for
 * delivery that survives a crash, drain the {@link WhatsAppOutbox} instead.
 */
@FunctionalInterface
public interface WhatsAppListener {
  /** Called after the commit, on the thread that committed, with the event's record ({@link WhatsAppEvent.MessageReceived}, …). */
  void onEvent(WhatsAppEvent event);
}
