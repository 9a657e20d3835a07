package io.crmkit.whatsapp;

import java.util.Objects;
import java.util.Optional;

/**
 * A new profile, made with {@link #builder()}: each value is named where it is set, so the phone
 * number id and the Meta app id (both strings of digits) cannot be swapped unseen. The values are
 * checked when the profile is created ({@link WhatsAppProfiles#create}), each failure naming its
 * field. The session never appears in {@link #toString()}.
 *
 * <pre>{@code
 * WhatsAppProfileDraft draft = WhatsAppProfileDraft.builder().name("Sales").phoneNumber("+966501234567")
 *     .phoneNumberId("106540352242922").metaAppId("1234567890").session(accessToken).build();
 * }</pre>
 *
 * @param name the name agents see, one line of 1 to 100 characters
 * @param phoneNumber the number in E.164, e.g. {@code +966501234567}
 * @param phoneNumberId the Cloud API's numeric id of the number
 * @param metaAppId the numeric id of the Meta app the number belongs to
 * @param session the access token, if known now (it can be set later): 1 to 10,000 visible ASCII
 *     characters, as Meta issues them
 */
public record WhatsAppProfileDraft(String name, String phoneNumber, String phoneNumberId, String metaAppId,
    Optional<String> session) {

  /** Creates the draft; prefer {@link #builder()}. Values are checked when the profile is created. */
  public WhatsAppProfileDraft {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(phoneNumber, "phoneNumber");
    Objects.requireNonNull(phoneNumberId, "phoneNumberId");
    Objects.requireNonNull(metaAppId, "metaAppId");
    Objects.requireNonNull(session, "session");
  }

  /** Starts a draft; name, phone number, phone number id and Meta app id are required, the session is not. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String toString() {
    return "WhatsAppProfileDraft[name=" + name + ", phoneNumber=" + phoneNumber + ", phoneNumberId=" + phoneNumberId
        + ", metaAppId=" + metaAppId + ", session=" + (session.isPresent() ? "***" : "none") + "]";
  }

  /** Builds a {@link WhatsAppProfileDraft}; not thread-safe. */
  public static final class Builder {
    private String name;
    private String phoneNumber;
    private String phoneNumberId;
    private String metaAppId;
    private String session;

    private Builder() {}

    /** The name agents see, e.g. {@code Sales}. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The business number in E.164, e.g. {@code +966501234567}. */
    public Builder phoneNumber(String phoneNumber) {
      this.phoneNumber = Objects.requireNonNull(phoneNumber, "phoneNumber");
      return this;
    }

    /** The Cloud API's numeric id of the number, which webhooks name (not the number itself). */
    public Builder phoneNumberId(String phoneNumberId) {
      this.phoneNumberId = Objects.requireNonNull(phoneNumberId, "phoneNumberId");
      return this;
    }

    /** The numeric id of the Meta app the number belongs to, whose secret signs its webhooks. */
    public Builder metaAppId(String metaAppId) {
      this.metaAppId = Objects.requireNonNull(metaAppId, "metaAppId");
      return this;
    }

    /** The access token; without one the profile waits, not routed, for {@link WhatsAppProfiles#replaceSession}. */
    public Builder session(String accessToken) {
      this.session = Objects.requireNonNull(accessToken, "accessToken");
      return this;
    }

    /**
     * The draft.
     *
     * @throws NullPointerException naming the first required value that was not set
     */
    public WhatsAppProfileDraft build() {
      return new WhatsAppProfileDraft(name, phoneNumber, phoneNumberId, metaAppId, Optional.ofNullable(session));
    }
  }
}
