package io.crmkit.whatsapp;

/** Whether an access token can use a business phone number, as the provider answered. */
public enum NumberCheck {
  /** The token works for the number: it belongs to the business that holds the token. */
  OWNED,
  /** The provider refused: the token is invalid or cannot use this number. */
  NOT_OWNED,
  /** No clear answer (timeout, server error); ask again later. */
  UNKNOWN
}
