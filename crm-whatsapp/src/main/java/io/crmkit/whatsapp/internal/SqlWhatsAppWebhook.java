package io.crmkit.whatsapp.internal;

import io.crmkit.whatsapp.WebhookSignature;
import io.crmkit.whatsapp.WhatsAppWebhook;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/** {@link WhatsAppWebhook}: the handshake, the signature check, then {@link WebhookIngest}. */
final class SqlWhatsAppWebhook implements WhatsAppWebhook {
  private final String verifyToken;
  private final WebhookSignature signatures;
  private final WebhookIngest ingest;

  SqlWhatsAppWebhook(String verifyToken, WebhookSignature signatures, WebhookIngest ingest) {
    this.verifyToken = verifyToken;
    this.signatures = signatures;
    this.ingest = ingest;
  }

  @Override
  public Response verify(String mode, String verifyToken, String challenge) {
    byte[] expected = this.verifyToken.getBytes(StandardCharsets.UTF_8);
    boolean tokenMatches = verifyToken != null
        && MessageDigest.isEqual(verifyToken.getBytes(StandardCharsets.UTF_8), expected);
    if ("subscribe".equals(mode) && tokenMatches && challenge != null && !challenge.isEmpty()) {
      return new Response(200, challenge);
    }
    return new Response(403, "forbidden");
  }

  @Override
  public Response receive(byte[] rawBody, String signatureHeader) {
    Objects.requireNonNull(rawBody, "rawBody");
    return signatures.verify(rawBody, signatureHeader)
        .map(app -> ingest.receive(app, rawBody))
        .orElseGet(() -> new Response(401, "invalid signature"));
  }
}
