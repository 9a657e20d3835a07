package io.crmkit.whatsapp;

/**
 * Why a profile lost its proof (its number's webhooks are no longer routed to it), until a working
 * access token is stored ({@link WhatsAppProfiles#replaceSession}) or it is reactivated
 * ({@link WhatsAppProfiles#reactivate}), either of which proves it again.
 */
public enum DisconnectReason {
  /** An admin deactivated it. */
  DEACTIVATED,
  /**
   * WhatsApp refused its access token when a reply was sent, or the host recorded that it cannot
   * send ({@link WhatsAppProfiles#setStatus}).
   */
  SESSION_REFUSED,
  /**
   * Another WhatsApp Business account proved it can use the number, and WhatsApp answered that this
   * profile's access token no longer can: the number has moved.
   */
  NUMBER_PROVEN_ELSEWHERE
}
