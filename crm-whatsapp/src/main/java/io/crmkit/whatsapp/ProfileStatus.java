package io.crmkit.whatsapp;

/** Whether a profile can send. */
public enum ProfileStatus {
  /** Its session works. */
  CONNECTED,
  /** It has no working session (none given, deactivated, or the provider refused its token). */
  DISCONNECTED,
  /** Its provider needs a QR code scanned before it can send again. */
  QR_REQUIRED
}
