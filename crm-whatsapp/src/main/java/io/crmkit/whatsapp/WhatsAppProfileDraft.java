package io.crmkit.whatsapp;

import java.util.Objects;
import java.util.Optional;

/**
 * A new profile. The session never appears in {@link #toString()}.
 *
 * @param name the name agents see, 1 to 100 characters
 * @param phoneNumber the number in E.164, e.g. {@code +966501234567}
 * @param phoneNumberId the Cloud API's numeric id of the number
 * @param metaAppId the numeric id of the Meta app the number belongs to
 * @param session the access token, if known now (it can be set later)
 */
public record WhatsAppProfileDraft(String name, String phoneNumber, String phoneNumberId, String metaAppId,
    Optional<String> session) {

  /** Creates the draft; values are checked when the profile is created. */
  public WhatsAppProfileDraft {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(phoneNumber, "phoneNumber");
    Objects.requireNonNull(phoneNumberId, "phoneNumberId");
    Objects.requireNonNull(metaAppId, "metaAppId");
    Objects.requireNonNull(session, "session");
  }

  @Override
  public String toString() {
    return "WhatsAppProfileDraft[name=" + name + ", phoneNumber=" + phoneNumber + ", phoneNumberId=" + phoneNumberId
        + ", metaAppId=" + metaAppId + ", session=" + (session.isPresent() ? "***" : "none") + "]";
  }
}
