package io.crmkit.campaigns.internal;

import io.crmkit.campaigns.OptOutWords;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.whatsapp.spi.InboundText;
import io.crmkit.whatsapp.spi.InboundTexts;
import io.crmkit.whatsapp.spi.MarketingPreference;
import io.crmkit.whatsapp.spi.MarketingPreferences;
import java.text.Normalizer;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Opt-outs of campaigns: a user's opt-out or opt-in word (handed over by crm-whatsapp's webhook),
 * the user stopping or resuming marketing messages in WhatsApp (Meta's user_preferences webhook),
 * and WhatsApp refusing a send because the user stopped marketing messages, record the latest word
 * of the user's identity with its time and source, and a line on the customer's timeline.
 */
final class OptOuts implements InboundTexts, MarketingPreferences {
  static final int MAX_WORDS = 20;

  @Override
  public void received(TenantTransaction tx, InboundText text) {
    String said = normalized(text.body());
    if (said.isEmpty() || said.length() > 64) {
      return;
    }
    OptOutWords words = words(tx);
    boolean out = words.optOut().stream().map(OptOuts::normalized).anyMatch(said::equals);
    boolean in = !out && words.optIn().stream().map(OptOuts::normalized).anyMatch(said::equals);
    if (out || in) {
      record(tx, text.phone().orElse(null), text.userId().orElse(null), text.customerId().orElse(null), out,
          "keyword", text.at());
    }
  }

  /** Meta's user_preferences: the user stopped or resumed marketing messages in WhatsApp itself. */
  @Override
  public void changed(TenantTransaction tx, MarketingPreference preference) {
    String phone = preference.phone().orElse(null);
    UUID customerId = phone == null ? null : tx.mapper(OptOutMapper.class).customerOf(tx.organizationId(), phone);
    record(tx, phone, preference.userId().orElse(null), customerId, preference.stopped(), "user_preferences",
        preference.at());
  }

  /** The latest word of an identity (each of its phone and user id), and a line on its customer's timeline. */
  static void record(TenantTransaction tx, String phone, String userId, UUID customerId, boolean optedOut,
      String source, Instant at) {
    OptOutMapper optOuts = tx.mapper(OptOutMapper.class);
    int changed = 0;
    if (phone != null) {
      changed += optOuts.record(tx.organizationId(), phone, null, customerId, optedOut, source, at);
    }
    if (userId != null) {
      changed += optOuts.record(tx.organizationId(), null, userId, customerId, optedOut, source, at);
    }
    // A word older than the one kept (a redelivery, say) changes nothing, and says nothing.
    if (customerId != null && changed > 0) {
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("source", source);
      tx.scope().customers().logActivity(customerId, optedOut ? "campaigns_opted_out" : "campaigns_opted_in",
          Optional.empty(), metadata);
    }
  }

  /** The organization's words, or the defaults. */
  static OptOutWords words(TenantTransaction tx) {
    OptOutMapper.Words words = tx.mapper(OptOutMapper.class).words(tx.organizationId());
    return words == null ? OptOutWords.DEFAULTS : new OptOutWords(words.optOutWords(), words.optInWords());
  }

  /**
   * The words as stored: each one line of 1 to 64 characters, trimmed, none twice and none both.
   *
   * @throws ValidationException naming {@code optOut} or {@code optIn}
   */
  static OptOutWords checked(OptOutWords words) {
    List<String> out = list("optOut", words.optOut(), 1);
    List<String> in = list("optIn", words.optIn(), 0);
    Set<String> outs = new HashSet<>(out.stream().map(OptOuts::normalized).toList());
    if (in.stream().map(OptOuts::normalized).anyMatch(outs::contains)) {
      throw new ValidationException("optIn", "holds an opt-out word");
    }
    return new OptOutWords(out, in);
  }

  private static List<String> list(String field, List<String> words, int least) {
    if (words.size() < least || words.size() > MAX_WORDS) {
      throw new ValidationException(field, "must be " + least + " to " + MAX_WORDS + " words");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < words.size(); i++) {
      String word = Inputs.text(field + "[" + i + "]", words.get(i), 64);
      if (normalized(word).isEmpty() || !seen.add(normalized(word))) {
        throw new ValidationException(field + "[" + i + "]", "must be a word not given before, not only punctuation");
      }
    }
    return words.stream().map(String::strip).toList();
  }

  /** A message as compared with the words: NFKC, case folded, without surrounding spaces and punctuation. */
  static String normalized(String text) {
    String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).strip();
    return folded.replaceAll("^[\\p{P}\\p{S}\\s]+|[\\p{P}\\p{S}\\s]+$", "");
  }
}
