package io.crmkit.campaigns;

import java.util.List;
import java.util.Objects;

/**
 * What a user writes, as the whole message, to ask for no more campaigns, and to ask for them
 * again. Compared ignoring case, surrounding spaces and punctuation ({@code "Stop."} is
 * {@code STOP}).
 *
 * @param optOut 1 to 20 words, each one line of 1 to 64 characters
 * @param optIn 0 to 20 words, none also an opt-out word
 */
public record OptOutWords(List<String> optOut, List<String> optIn) {
  /** Every organization's words until it sets its own: STOP, توقف, إلغاء; START, ابدأ. */
  public static final OptOutWords DEFAULTS = new OptOutWords(List.of("STOP", "توقف", "إلغاء"),
      List.of("START", "ابدأ"));

  /** Creates the words; the lists are copied. Checked when they are set. */
  public OptOutWords {
    optOut = List.copyOf(Objects.requireNonNull(optOut, "optOut"));
    optIn = List.copyOf(Objects.requireNonNull(optIn, "optIn"));
  }
}
