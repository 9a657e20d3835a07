package io.crmkit.core.customers;

/** Where a customer came from. */
public enum CustomerSource {
  /** Entered by a person. */
  MANUAL,
  /** Created from an inbound WhatsApp message. */
  WHATSAPP,
  /** Imported from a file. */
  IMPORT,
  /** Created by the host application through the API. */
  API
}
