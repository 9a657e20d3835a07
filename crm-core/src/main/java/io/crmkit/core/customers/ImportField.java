package io.crmkit.core.customers;

/** A customer field an import's columns can fill ({@link ImportMapping}). */
public enum ImportField {
  /** {@link Customer#fullName()}. */
  FULL_NAME,
  /** {@link Customer#whatsappPhone()}: with the email, what matches a row to a customer. */
  WHATSAPP_PHONE,
  /** {@link Customer#phone()}. */
  PHONE,
  /** {@link Customer#email()}. */
  EMAIL,
  /** {@link Customer#company()}. */
  COMPANY,
  /** {@link Customer#position()}. */
  POSITION,
  /** {@link Customer#tags()}: several in a cell, separated by {@code ;} (or the mapping's separator). */
  TAGS,
  /** {@link Customer#notes()}. */
  NOTES,
  /** {@link Customer#leadScore()}: a whole number 0 to 100. */
  LEAD_SCORE,
  /**
   * {@link Customer#externalId()}: the record's id in the system it comes from; what
   * {@link ImportIdentity#EXTERNAL_ID} matches by.
   */
  EXTERNAL_ID
}
