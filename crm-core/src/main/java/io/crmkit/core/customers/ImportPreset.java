package io.crmkit.core.customers;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Mappings for the exports people bring, by the headers those exports write; the WhatsApp number
 * is the mobile one where the export has several. Columns a preset does not name are left out.
 */
public enum ImportPreset {
  /**
   * Google Contacts' "Google CSV" as it writes it since 2023 ({@code First Name}, {@code E-mail 1 -
   * Value}, …; the older {@code Given Name} headers need a mapping), values split at {@code " ::: "};
   * the WhatsApp number is the first phone, whatever its label.
   */
  GOOGLE_CONTACTS(List.of("first name", "e-mail 1 - value", "phone 1 - value"), ImportMapping.builder()
      .join(ImportField.FULL_NAME, "First Name", "Middle Name", "Last Name")
      .column(ImportField.WHATSAPP_PHONE, "Phone 1 - Value")
      .column(ImportField.PHONE, "Phone 2 - Value")
      .column(ImportField.EMAIL, "E-mail 1 - Value")
      .column(ImportField.COMPANY, "Organization Name")
      .column(ImportField.POSITION, "Organization Title")
      .column(ImportField.NOTES, "Notes")
      .column(ImportField.TAGS, "Labels", "Group Membership")
      .multiValueSeparator(" ::: ").build()),
  /** Outlook's contacts export. */
  OUTLOOK(List.of("e-mail address", "mobile phone"), ImportMapping.builder()
      .join(ImportField.FULL_NAME, "First Name", "Middle Name", "Last Name")
      .column(ImportField.WHATSAPP_PHONE, "Mobile Phone")
      .column(ImportField.PHONE, "Business Phone", "Home Phone", "Primary Phone")
      .column(ImportField.EMAIL, "E-mail Address")
      .column(ImportField.COMPANY, "Company")
      .column(ImportField.POSITION, "Job Title")
      .column(ImportField.NOTES, "Notes")
      .column(ImportField.TAGS, "Categories").build()),
  /** HubSpot's contacts export; its record id is the customer's external id. */
  HUBSPOT(List.of("record id", "first name", "email"), ImportMapping.builder()
      .join(ImportField.FULL_NAME, "First Name", "Last Name")
      .column(ImportField.WHATSAPP_PHONE, "Mobile Phone Number")
      .column(ImportField.PHONE, "Phone Number")
      .column(ImportField.EMAIL, "Email")
      .column(ImportField.COMPANY, "Company Name", "Associated Company")
      .column(ImportField.POSITION, "Job Title")
      .column(ImportField.EXTERNAL_ID, "Record ID").build()),
  /** Salesforce's contacts report; its contact id, when the report has it, is the customer's external id. */
  SALESFORCE(List.of("account name", "mobile", "title", "email"), ImportMapping.builder()
      .join(ImportField.FULL_NAME, "First Name", "Last Name")
      .column(ImportField.WHATSAPP_PHONE, "Mobile")
      .column(ImportField.PHONE, "Phone")
      .column(ImportField.EMAIL, "Email")
      .column(ImportField.COMPANY, "Account Name")
      .column(ImportField.POSITION, "Title")
      .column(ImportField.NOTES, "Description")
      .column(ImportField.EXTERNAL_ID, "Contact ID").build()),
  /** Zoho CRM's contacts or leads export; its record id is the customer's external id. */
  ZOHO(List.of("record id", "mobile"), ImportMapping.builder()
      .join(ImportField.FULL_NAME, "First Name", "Last Name")
      .column(ImportField.WHATSAPP_PHONE, "Mobile")
      .column(ImportField.PHONE, "Phone")
      .column(ImportField.EMAIL, "Email")
      .column(ImportField.COMPANY, "Account Name", "Company")
      .column(ImportField.POSITION, "Title")
      .column(ImportField.NOTES, "Description")
      .column(ImportField.TAGS, "Tag")
      .column(ImportField.EXTERNAL_ID, "Record Id").build());

  private final Set<String> signature;
  private final ImportMapping mapping;

  ImportPreset(List<String> signature, ImportMapping mapping) {
    this.signature = Set.copyOf(signature);
    this.mapping = mapping;
  }

  /** Its mapping. */
  public ImportMapping mapping() {
    return mapping;
  }

  /** CRMKit's own column names: a header with one of them is read by the standard mapping. */
  private static final Set<String> OWN = Set.of("whatsapp_phone", "whatsapp phone", "whatsapp", "full_name",
      "full name", "lead_score", "lead score", "external_id", "external id");

  /**
   * The preset whose export writes {@code headers}: the one whose distinctive headers are all there
   * (ignoring case), Zoho before Salesforce and HubSpot (which share some); empty if none, or if a
   * header is one of CRMKit's own ({@code whatsapp_phone}, {@code full_name}, …).
   */
  public static Optional<ImportPreset> detect(Collection<String> headers) {
    Set<String> present = headers.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    if (present.stream().anyMatch(OWN::contains)) {
      return Optional.empty();
    }
    for (ImportPreset preset : List.of(GOOGLE_CONTACTS, OUTLOOK, ZOHO, HUBSPOT, SALESFORCE)) {
      if (present.containsAll(preset.signature)) {
        return Optional.of(preset);
      }
    }
    return Optional.empty();
  }
}
