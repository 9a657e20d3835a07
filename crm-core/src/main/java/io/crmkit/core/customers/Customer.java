package io.crmkit.core.customers;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A customer (contact) of an organization.
 *
 * @param id the customer id
 * @param fullName name, if known
 * @param whatsappPhone WhatsApp number in E.164 ({@code +966501234567}), unique per organization
 * @param email address, unique per organization (case-insensitive)
 * @param phone another phone number in E.164
 * @param company company, if known
 * @param position job title, if known
 * @param stageId the pipeline stage
 * @param leadScore 0 to 100
 * @param estimatedValueMinor deal value in minor units of {@code currency}
 * @param currency ISO 4217 code
 * @param source where the customer came from
 * @param assignedTo the member responsible, if any
 * @param tags tags, in the order they were added
 * @param notes free text
 * @param customFields the organization's own fields (a JSON object), unmodifiable
 * @param externalId the customer's id in another system (where it was imported from, the host's
 *     own records), unique per organization and compared exactly
 * @param createdBy the member who created it, if a member did
 * @param createdAt when it was created
 * @param updatedAt when it last really changed
 */
public record Customer(
    UUID id,
    Optional<String> fullName,
    Optional<String> whatsappPhone,
    Optional<String> email,
    Optional<String> phone,
    Optional<String> company,
    Optional<String> position,
    UUID stageId,
    int leadScore,
    long estimatedValueMinor,
    String currency,
    CustomerSource source,
    Optional<UUID> assignedTo,
    List<String> tags,
    Optional<String> notes,
    Map<String, Object> customFields,
    Optional<String> externalId,
    Optional<UUID> createdBy,
    Instant createdAt,
    Instant updatedAt) {

  /** Creates the record. */
  public Customer {
    Objects.requireNonNull(id, "id");
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
    Objects.requireNonNull(customFields, "customFields");
    Objects.requireNonNull(externalId, "externalId");
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
