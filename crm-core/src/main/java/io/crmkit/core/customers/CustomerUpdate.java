package io.crmkit.core.customers;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A partial change of a customer's contact fields: only the fields set or cleared change.
 *
 * <pre>{@code
 * customers.update(id, CustomerUpdate.builder().email("sara@new.example").clearCompany().build());
 * }</pre>
 *
 * <p>The stage, assignee, tags, custom fields, lead score and value have their own operations on
 * {@link CustomerService}, each with its own activity.
 *
 * @param changes the fields to change: a value sets the field (checked and normalized as on
 *     create), an empty value clears it
 */
public record CustomerUpdate(Map<Field, Optional<String>> changes) {

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
    NOTES("notes");

    private final String key;

    Field(String key) {
      this.key = key;
    }

    /** The field's name in errors and in the {@code customer_updated} activity, e.g. {@code "fullName"}. */
    public String key() {
      return key;
    }
  }

  /** Creates the update; the map is copied. */
  public CustomerUpdate {
    Objects.requireNonNull(changes, "changes");
    EnumMap<Field, Optional<String>> copy = new EnumMap<>(Field.class);
    changes.forEach((field, value) -> copy.put(Objects.requireNonNull(field, "field"),
        Objects.requireNonNull(value, "value of " + field)));
    changes = Collections.unmodifiableMap(copy);
  }

  /** Starts an update that changes nothing. */
  public static Builder builder() {
    return new Builder();
  }

  /** True if no field is set or cleared. */
  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /** Builds a {@link CustomerUpdate}. */
  public static final class Builder {
    private final EnumMap<Field, Optional<String>> changes = new EnumMap<>(Field.class);

    private Builder() {}

    private Builder set(Field field, String value) {
      changes.put(field, Optional.of(Objects.requireNonNull(value, field.key())));
      return this;
    }

    private Builder clear(Field field) {
      changes.put(field, Optional.empty());
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

    /** The update. */
    public CustomerUpdate build() {
      return new CustomerUpdate(changes);
    }
  }
}
