package io.crmkit.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.core.exception.CrmException;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.spi.OutsideJson;
import io.crmkit.core.spi.TenantTransaction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Writes dead letters ({@link io.crmkit.core.spi.DeadLetterBox}) and holds their rules: a source is
 * lowercase words joined by dots, a key at most 300 characters (longer ones kept as their SHA-256),
 * a reason the exception's type and message cut to 2,000 characters, never SQL.
 */
public final class DeadLetterRecords {
  private static final Pattern SOURCE = Pattern.compile("[a-z][a-z0-9_]{0,29}(\\.[a-z][a-z0-9_]{0,29}){0,3}");
  private static final int MAX_KEY = 300;
  private static final int MAX_REASON = 2000;

  private DeadLetterRecords() {}

  /** See {@link io.crmkit.core.spi.DeadLetterBox#keep}. */
  public static boolean keep(TenantTransaction tx, String source, String key, JsonNode item, Throwable failure) {
    Objects.requireNonNull(tx, "tx");
    checkSource(source);
    String itemKey = key(key);
    JsonNode clean = OutsideJson.clean(Objects.requireNonNull(item, "item"));
    String reason = reason(Objects.requireNonNull(failure, "failure"));
    return tx.mapper(DeadLetterMapper.class).insert(tx.organizationId(), source, itemKey, clean, reason) != null;
  }

  /** Refuses a source that is not lowercase words joined by dots (e.g. {@code whatsapp.webhook}). */
  static void checkSource(String source) {
    Objects.requireNonNull(source, "source");
    if (!SOURCE.matcher(source).matches()) {
      throw new IllegalArgumentException("a dead letter source is 1-4 lowercase words joined by dots, e.g."
          + " whatsapp.webhook; was " + source);
    }
  }

  private static String key(String key) {
    String clean = Inputs.outsideText(Objects.requireNonNull(key, "key")).strip();
    if (clean.isEmpty()) {
      throw new IllegalArgumentException("a dead letter's key must not be blank");
    }
    return clean.length() <= MAX_KEY ? clean : "sha256:" + sha256(clean);
  }

  /**
   * Why an item failed, for operators: the exception's type and message. CRMKit's own exceptions
   * never quote SQL; another exception with a database error beneath it (one that escaped
   * translation) might, so only its type is given, and the logs have the rest.
   */
  static String reason(Throwable failure) {
    String type = failure.getClass().getSimpleName();
    String message = failure.getMessage();
    boolean safe = failure instanceof CrmException || (SqlErrors.findSqlException(failure) == null
        && !(failure instanceof org.apache.ibatis.exceptions.PersistenceException));
    String reason = message == null || message.isBlank() || !safe ? type : type + ": " + message;
    reason = Inputs.outsideText(reason).strip();
    if (reason.length() > MAX_REASON) {
      // Never between the two halves of a surrogate pair.
      int end = Character.isHighSurrogate(reason.charAt(MAX_REASON - 2)) ? MAX_REASON - 2 : MAX_REASON - 1;
      reason = reason.substring(0, end) + "…";
    }
    return reason.isEmpty() ? "failed" : reason;
  }

  private static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JDK", e);
    }
  }
}
