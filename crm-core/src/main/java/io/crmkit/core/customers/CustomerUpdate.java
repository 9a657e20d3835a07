package io.crmkit.core.customers;

import io.crmkit.core.Change;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A partial change of a customer's contact fields: only the fields set or cleared change; a value
 * set is checked and normalized as on create.
 *
 * <pre>{@code
 * customers.update(id, CustomerUpdate.builder().email("sara@new.example").clearCompany().build());
 * }</pre>
 *
 * <p>The stage, assignee, tags, custom fields, lead score and value have their own operations on
 * {@link CustomerService}, each with its own activity.
 *
 * @param fullName {@link Customer#fullName()}
 * @param whatsappPhone {@link Customer#whatsappPhone()}, unique in the organization, in any format
 *     the organization's region reads
 * @param email {@link Customer#email()}, unique in the organization, case-insensitively
 * @param phone {@link Customer#phone()}, in any format the organization's region reads
 * @param company {@link Customer#company()}
 * @param position {@link Customer#position()}
 * @param notes {@link Customer#notes()}
 * @param externalId {@link Customer#externalId()}, unique in the organization
 */
public record CustomerUpdate(Change<String> fullName, Change<String> whatsappPhone, Change<String> email,
    Change<String> phone, Change<String> company, Change<String> position, Change<String> notes,
    Change<String> externalId) {

  /** The contact fields an update can change. */
  public enum Field {
    /** {@link Customer#fullName()}. */
    FULL_NAME("fullName"),
    /** {@link Customer#whatsappPhone()}, unique in the organization. */
    WHATSAPP_PHONE("whatsappPhone"),
    /** {@link Customer#email()}, unique in the organization, case-insensitively. */
    EMAIL("email"),
    /** {@link Customer#phone()}. */
    PHONE("phone"),
    /** {@link Customer#company()}. */
    COMPANY("company"),
    /** {@link Customer#position()}. */
    POSITION("position"),
    /** {@link Customer#notes()}. */
    NOTES("notes"),
    /** {@link Customer#externalId()}, unique in the organization. */
    EXTERNAL_ID("externalId");

    private final String key;

    Field(String key) {
      this.key = key;
    }

    /** The field's name in errors and in the {@code customer_updated} activity, e.g. {@code "fullName"}. */
    public String key() {
      return key;
    }
  }

  /** Creates the update. */
  public CustomerUpdate {
    Objects.requireNonNull(fullName, "fullName");
    Objects.requireNonNull(whatsappPhone, "whatsappPhone");
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(phone, "phone");
    Objects.requireNonNull(company, "company");
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(notes, "notes");
    Objects.requireNonNull(externalId, "externalId");
  }

  /** The fields this update sets or clears, each with its change. */
  public Map<Field, Change<String>> changes() {
    EnumMap<Field, Change<String>> changes = new EnumMap<>(Field.class);
    put(changes, Field.FULL_NAME, fullName);
    put(changes, Field.WHATSAPP_PHONE, whatsappPhone);
    put(changes, Field.EMAIL, email);
    put(changes, Field.PHONE, phone);
    put(changes, Field.COMPANY, company);
    put(changes, Field.POSITION, position);
    put(changes, Field.NOTES, notes);
    put(changes, Field.EXTERNAL_ID, externalId);
    return Collections.unmodifiableMap(changes);
  }

  private static void put(Map<Field, Change<String>> changes, Field field, Change<String> change) {
    if (change.changes()) {
      changes.put(field, change);
    }
  }

  /** Starts an update that changes nothing. */
  public static Builder builder() {
    return new Builder();
  }

  /** True if no field is set or cleared. */
  public boolean isEmpty() {
    return changes().isEmpty();
  }

  /** Builds a {@link CustomerUpdate}. */
  public static final class Builder {
    private final EnumMap<Field, Change<String>> changes = new EnumMap<>(Field.class);

    private Builder() {}

    private Builder set(Field field, String value) {
      changes.put(field, Change.to(Objects.requireNonNull(value, field.key())));
      return this;
    }

    private Builder clear(Field field) {
      changes.put(field, Change.clear());
      return this;
    }

    /** Sets the name. */
    public Builder fullName(String fullName) {
      return set(Field.FULL_NAME, fullName);
    }

    /** Clears the name. */
    public Builder clearFullName() {
      return clear(Field.FULL_NAME);
    }

    /** Sets the WhatsApp phone, in any format the organization's region reads. */
    public Builder whatsappPhone(String whatsappPhone) {
      return set(Field.WHATSAPP_PHONE, whatsappPhone);
    }

    /** Clears the WhatsApp phone. */
    public Builder clearWhatsappPhone() {
      return clear(Field.WHATSAPP_PHONE);
    }

    /** Sets the email. */
    public Builder email(String email) {
      return set(Field.EMAIL, email);
    }

    /** Clears the email. */
    public Builder clearEmail() {
      return clear(Field.EMAIL);
    }

    /** Sets the other phone, in any format the organization's region reads. */
    public Builder phone(String phone) {
      return set(Field.PHONE, phone);
    }

    /** Clears the other phone. */
    public Builder clearPhone() {
      return clear(Field.PHONE);
    }

    /** Sets the company. */
    public Builder company(String company) {
      return set(Field.COMPANY, company);
    }

    /** Clears the company. */
    public Builder clearCompany() {
      return clear(Field.COMPANY);
    }

    /** Sets the position. */
    public Builder position(String position) {
      return set(Field.POSITION, position);
    }

    /** Clears the position. */
    public Builder clearPosition() {
      return clear(Field.POSITION);
    }

    /** Sets the notes. */
    public Builder notes(String notes) {
      return set(Field.NOTES, notes);
    }

    /** Clears the notes. */
    public Builder clearNotes() {
      return clear(Field.NOTES);
    }

    /** Sets the external id. */
    public Builder externalId(String externalId) {
      return set(Field.EXTERNAL_ID, externalId);
    }

    /** Clears the external id. */
    public Builder clearExternalId() {
      return clear(Field.EXTERNAL_ID);
    }

    /** The update. */
    public CustomerUpdate build() {
      return new CustomerUpdate(get(Field.FULL_NAME), get(Field.WHATSAPP_PHONE), get(Field.EMAIL), get(Field.PHONE),
          get(Field.COMPANY), get(Field.POSITION), get(Field.NOTES), get(Field.EXTERNAL_ID));
    }

    private Change<String> get(Field field) {
      return changes.getOrDefault(field, Change.keep());
    }
  }
}
