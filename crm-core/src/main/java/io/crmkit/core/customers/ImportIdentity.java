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
   * Nothing: every row makes a new customer, so a row needs only a name, phone or email, and
   * importing a file twice makes its customers twice (a phone or email another customer holds is
   * still refused).
   */
  NONE
}
