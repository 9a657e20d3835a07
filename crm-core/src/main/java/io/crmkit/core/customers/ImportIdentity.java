package io.crmkit.core.customers;

/** What matches an import's row to a customer the organization already has. */
public enum ImportIdentity {
  /** The WhatsApp phone, else the email (the default); a row needs one of them. */
  PHONE_THEN_EMAIL,
  /** The WhatsApp phone only; a row needs one. */
  PHONE,
  /** The email only (case-insensitively); a row needs one. */
  EMAIL,
  /**
   * The {@linkplain Customer#externalId() external id} only (exactly): a row needs one, and its
   * phone and email are values it sets, as long as no other customer holds them. For a file
   * exported again from the system it came from, where phones and emails may have changed.
   */
  EXTERNAL_ID,
  /**
   * Nothing: every row makes a new customer, so a row needs only a name, phone or email, and
   * importing a file twice makes its customers twice (a phone or email another customer holds is
   * still refused).
   */
  NONE
}
