package io.crmkit.campaigns;

import java.util.Locale;

/** Why a recipient gets nothing. */
public enum SkipReason {
  /** A phone number that is not one, in the organization's region or with its country code. */
  INVALID_NUMBER,
  /** A customer without a WhatsApp phone. */
  NO_WHATSAPP_PHONE,
  /** An id of no customer of this organization: reported, not kept as a recipient. */
  CUSTOMER_NOT_FOUND,
  /** A user who asked for no more campaigns (checked when added, and again before the send). */
  OPTED_OUT,
  /** Free-form text for a user who has not written in the last 24 hours (checked before the send). */
  WINDOW_CLOSED;

  /** The word stored in the database, e.g. {@code "invalid_number"}. */
  public String databaseName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
