package io.crmkit.whatsapp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the {@code X-Hub-Signature-256} header Meta puts on every webhook POST: an HMAC-SHA256 of
 * the raw body with the app's secret, as {@code sha256=<hex>}. The payload does not name the app,
 * so the secret that verifies the body is what identifies it: {@link #verify} tries every
 * registered app's secret, each compared in constant time, and tells which app (if any) signed.
 * Check the signature over the exact bytes received, before parsing anything.
 *
 * <pre>{@code
 * WebhookSignature signatures = WebhookSignature.of(Map.of("1234567890", appSecret));
 * Optional<String> app = signatures.verify(rawBody, request.getHeader("X-Hub-Signature-256"));
 * if (app.isEmpty()) { respond 401; }
 * }</pre>
 *
 * <p>Immutable and thread-safe; secrets never appear in {@link #toString()}.
 */
public final class WebhookSignature {
  /** The header Meta signs with. */
  public static final String HEADER = "X-Hub-Signature-256";
  private static final String PREFIX = "sha256=";

  private final Map<String, SecretKeySpec> keysByApp;

  private WebhookSignature(Map<String, SecretKeySpec> keysByApp) {
    this.keysByApp = keysByApp;
  }

  /**
   * The signatures of these apps.
   *
   * @param appSecretsByAppId each Meta app's secret, by the app's id
   * @throws IllegalArgumentException if there is no app, a secret is blank, or two apps share a
   *     secret (a body they sign could not be told apart)
   */
  public static WebhookSignature of(Map<String, String> appSecretsByAppId) {
    Objects.requireNonNull(appSecretsByAppId, "appSecretsByAppId");
    if (appSecretsByAppId.isEmpty()) {
      throw new IllegalArgumentException("at least one app secret is needed");
    }
    Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    Map<String, String> appBySecret = new LinkedHashMap<>();
    appSecretsByAppId.forEach((app, secret) -> {
      Objects.requireNonNull(app, "app id");
      Objects.requireNonNull(secret, "secret of app " + app);
      if (secret.isBlank()) {
        throw new IllegalArgumentException("the secret of app " + app + " is blank");
      }
      String other = appBySecret.putIfAbsent(secret, app);
      if (other != null) {
        throw new IllegalArgumentException("apps " + other + " and " + app + " have the same secret");
      }
      keys.put(app, new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    });
    return new WebhookSignature(Map.copyOf(keys));
  }

  /**
   * The id of the app whose secret signed {@code rawBody}, or empty if none did, the header is
   * missing (null) or malformed. Every secret is tried, whichever matches.
   */
  public Optional<String> verify(byte[] rawBody, String signatureHeader) {
    Objects.requireNonNull(rawBody, "rawBody");
    byte[] claimed = parse(signatureHeader);
    if (claimed == null) {
      return Optional.empty();
    }
    String signedBy = null;
    for (Map.Entry<String, SecretKeySpec> app : keysByApp.entrySet()) {
      if (MessageDigest.isEqual(hmac(app.getValue(), rawBody), claimed) && signedBy == null) {
        signedBy = app.getKey();
      }
    }
    return Optional.ofNullable(signedBy);
  }

  /** The header value for {@code rawBody} signed with {@code appSecret}, as Meta would send it (for tests and examples). */
  public static String sign(String appSecret, byte[] rawBody) {
    Objects.requireNonNull(appSecret, "appSecret");
    Objects.requireNonNull(rawBody, "rawBody");
    byte[] mac = hmac(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"), rawBody);
    return PREFIX + HexFormat.of().formatHex(mac);
  }

  private static byte[] parse(String header) {
    if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
        || header.length() != PREFIX.length() + 64) {
      return null;
    }
    try {
      return HexFormat.of().parseHex(header.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] hmac(SecretKeySpec key, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }

  @Override
  public String toString() {
    return "WebhookSignature[apps=" + keysByApp.keySet() + "]";
  }
}
