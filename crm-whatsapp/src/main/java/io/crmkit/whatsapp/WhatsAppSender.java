package io.crmkit.whatsapp;

import java.util.Objects;

/**
 * Who sends: a WhatsApp Business phone number of the Cloud API and the access token its calls carry.
 * The token never appears in {@link #toString()}.
 *
 * @param phoneNumberId the Cloud API's id of the business phone number (digits), as in
 *     {@code POST /{phone-number-id}/messages}; not the phone number itself
 * @param accessToken the bearer token for that number's calls
 */
public record WhatsAppSender(String phoneNumberId, String accessToken) {
  /** Creates the sender. */
  public WhatsAppSender {
    Objects.requireNonNull(phoneNumberId, "phoneNumberId");
    Objects.requireNonNull(accessToken, "accessToken");
    if (!phoneNumberId.matches("[0-9]{1,32}")) {
      throw new IllegalArgumentException("phoneNumberId must be the Cloud API's numeric id, was " + phoneNumberId);
    }
    if (accessToken.isBlank()) {
      throw new IllegalArgumentException("accessToken must not be blank");
    }
  }

  @Override
  public String toString() {
    return "WhatsAppSender[phoneNumberId=" + phoneNumberId + ", accessToken=***]";
  }
}
