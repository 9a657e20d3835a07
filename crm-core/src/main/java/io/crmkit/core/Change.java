package io.crmkit.core;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One field of a partial update: {@link #keep()} leaves it as it is, {@link #to} sets it,
 * {@link #clear()} empties it (for a field that may be empty). Every update of every module
 * ({@code CustomerUpdate}, {@code OrganizationUpdate}, {@code TicketUpdate}, …) is a record of
 * these, made with a builder whose setters set and whose {@code clear…} methods clear; what the
 * builder was not told is kept.
 *
 * <pre>{@code
 * CustomerUpdate update = CustomerUpdate.builder().email("sara@new.example").clearCompany().build();
 * update.email();    // Change.to("sara@new.example")
 * update.company();  // Change.clear()
 * update.notes();    // Change.keep()
 * }</pre>
 *
 * @param <T> the field's type
 */
public sealed interface Change<T> permits Change.Keep, Change.To, Change.Clear {

  /** Leaves the field as it is. */
  static <T> Change<T> keep() {
    return new Keep<>();
  }

  /** Sets the field to {@code value}. */
  static <T> Change<T> to(T value) {
    return new To<>(value);
  }

  /** Empties the field. */
  static <T> Change<T> clear() {
    return new Clear<>();
  }

  /** Whether it changes the field: sets or clears it. */
  default boolean changes() {
    return !(this instanceof Keep);
  }

  /** The field's value after the change, given its value before. */
  default Optional<T> applyTo(Optional<T> before) {
    Objects.requireNonNull(before, "before");
    if (this instanceof To<T> to) {
      return Optional.of(to.value());
    }
    return this instanceof Clear ? Optional.empty() : before;
  }

  /** The same change of a value converted by {@code convert} (which runs only when it sets one). */
  default <R> Change<R> map(Function<? super T, ? extends R> convert) {
    Objects.requireNonNull(convert, "convert");
    if (this instanceof To<T> to) {
      return new To<>(convert.apply(to.value()));
    }
    return this instanceof Clear ? new Clear<>() : new Keep<>();
  }

  /** Leaves the field as it is. */
  record Keep<T>() implements Change<T> {}

  /**
   * Sets the field.
   *
   * @param value the new value
   */
  record To<T>(T value) implements Change<T> {
    /** Creates the change. */
    public To {
      Objects.requireNonNull(value, "value");
    }
  }

  /** Empties the field. */
  record Clear<T>() implements Change<T> {}
}
