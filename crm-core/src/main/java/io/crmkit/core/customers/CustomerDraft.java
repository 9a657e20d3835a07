package io.crmkit.core.customers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A new customer. Phones may be written as people write them ({@code 050 123 4567},
 * {@code 00966…}, Arabic-Indic digits): they are normalized to E.164 with the organization's
 * region. At least one of name, WhatsApp phone, email or phone is required.
 *
 * <pre>{@code
 * Customer c = scope.customers().create(CustomerDraft.builder()
 *     .fullName("أحمد الحربي").whatsappPhone("050 123 4567").source(CustomerSource.WHATSAPP).build());
 * }</pre>
 *
 * @param fullName name
 * @param whatsappPhone WhatsApp number as written
 * @param email address
 * @param phone another number as written
 * @param company company
 * @param position job title
 * @param stageId stage; the organization's default stage when empty
 * @param leadScore 0 to 100
 * @param estimatedValueMinor deal value in minor units
 * @param currency ISO 4217 code of the value
 * @param source where the customer came from
 * @param assignedTo the member responsible
 * @param tags tags
 * @param notes free text
 * @param customFields the organization's own fields
 * @param externalId the customer's id in another system, unique per organization
 */
public record CustomerDraft(
    Optional<String> fullName,
    Optional<String> whatsappPhone,
    Optional<String> email,
    Optional<String> phone,
    Optional<String> company,
    Optional<String> position,
    Optional<UUID> stageId,
    int leadScore,
    long estimatedValueMinor,
    String currency,
    CustomerSource source,
    Optional<UUID> assignedTo,
    List<String> tags,
    Optional<String> notes,
    Map<String, Object> customFields,
    Optional<String> externalId) {

  /** Creates the draft; values are checked when it is created. */
  public CustomerDraft {
    Objects.requireNonNull(fullName, "fullName");
    Objects.requireNonNull(whatsappPhone, "whatsappPhone");
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(phone, "phone");
    Objects.requireNonNull(company, "company");
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(stageId, "stageId");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(assignedTo, "assignedTo");
    tags = List.copyOf(tags);
    Objects.requireNonNull(notes, "notes");
    customFields = io.crmkit.core.spi.Json.deepCopy(customFields, "customFields");
    Objects.requireNonNull(externalId, "externalId");
  }

  /** Starts a draft: source {@code MANUAL}, score 0, value 0 USD. */
  public static Builder builder() {
    return new Builder();
  }

  /** A draft of only a WhatsApp number, as the inbox creates them. */
  public static CustomerDraft ofWhatsappPhone(String whatsappPhone, CustomerSource source) {
    return builder().whatsappPhone(whatsappPhone).source(source).build();
  }

  /** Builds a {@link CustomerDraft}. */
  public static final class Builder {
    private String fullName;
    private String whatsappPhone;
    private String email;
    private String phone;
    private String company;
    private String position;
    private UUID stageId;
    private int leadScore;
    private long estimatedValueMinor;
    private String currency = "USD";
    private CustomerSource source = CustomerSource.MANUAL;
    private UUID assignedTo;
    private final List<String> tags = new ArrayList<>();
    private String notes;
    private Map<String, Object> customFields = Map.of();
    private String externalId;

    private Builder() {}

    /** Sets the name. */
    public Builder fullName(String fullName) {
      this.fullName = Objects.requireNonNull(fullName, "fullName");
      return this;
    }

    /** Sets the WhatsApp number, as written. */
    public Builder whatsappPhone(String whatsappPhone) {
      this.whatsappPhone = Objects.requireNonNull(whatsappPhone, "whatsappPhone");
      return this;
    }

    /** Sets the email. */
    public Builder email(String email) {
      this.email = Objects.requireNonNull(email, "email");
      return this;
    }

    /** Sets another phone number, as written. */
    public Builder phone(String phone) {
      this.phone = Objects.requireNonNull(phone, "phone");
      return this;
    }

    /** Sets the company. */
    public Builder company(String company) {
      this.company = Objects.requireNonNull(company, "company");
      return this;
    }

    /** Sets the job title. */
    public Builder position(String position) {
      this.position = Objects.requireNonNull(position, "position");
      return this;
    }

    /** Puts the customer in a stage other than the default. */
    public Builder stage(UUID stageId) {
      this.stageId = Objects.requireNonNull(stageId, "stageId");
      return this;
    }

    /** Sets the lead score, 0 to 100. */
    public Builder leadScore(int leadScore) {
      this.leadScore = leadScore;
      return this;
    }

    /** Sets the deal value in minor units of {@code currency} (e.g. cents). */
    public Builder estimatedValue(long minorUnits, String currency) {
      this.estimatedValueMinor = minorUnits;
      this.currency = Objects.requireNonNull(currency, "currency");
      return this;
    }

    /** Sets where the customer came from. */
    public Builder source(CustomerSource source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /** Assigns a member. */
    public Builder assignedTo(UUID userId) {
      this.assignedTo = Objects.requireNonNull(userId, "userId");
      return this;
    }

    /** Adds a tag. */
    public Builder tag(String tag) {
      this.tags.add(Objects.requireNonNull(tag, "tag"));
      return this;
    }

    /** Sets the notes. */
    public Builder notes(String notes) {
      this.notes = Objects.requireNonNull(notes, "notes");
      return this;
    }

    /** Sets the organization's own fields. */
    public Builder customFields(Map<String, Object> customFields) {
      this.customFields = Objects.requireNonNull(customFields, "customFields");
      return this;
    }

    /**
     * Sets the customer's id in another system (the CRM it comes from, the host's own records):
     * unique per organization, compared exactly, 1 to 255 characters.
     */
    public Builder externalId(String externalId) {
      this.externalId = Objects.requireNonNull(externalId, "externalId");
      return this;
    }

    /** Builds the draft. */
    public CustomerDraft build() {
      return new CustomerDraft(Optional.ofNullable(fullName), Optional.ofNullable(whatsappPhone),
          Optional.ofNullable(email), Optional.ofNullable(phone), Optional.ofNullable(company),
          Optional.ofNullable(position), Optional.ofNullable(stageId), leadScore, estimatedValueMinor, currency,
          source, Optional.ofNullable(assignedTo), tags, Optional.ofNullable(notes), customFields,
          Optional.ofNullable(externalId));
    }
  }
}
