package io.crmkit.whatsapp.internal;

import io.crmkit.whatsapp.WebhookSignature;
import io.crmkit.whatsapp.WhatsAppWebhook;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/** {@link WhatsAppWebhook}: the handshake, the size cap and the signature check, then {@link WebhookIngest}. */
final class SqlWhatsAppWebhook implements WhatsAppWebhook {
  private final String verifyToken;
  private final WebhookSignature signatures;
  private final int maxBodyBytes;
  private final WebhookIngest ingest;

  SqlWhatsAppWebhook(String verifyToken, WebhookSignature signatures, int maxBodyBytes, WebhookIngest ingest) {
    this.verifyToken = verifyToken;
    this.signatures = signatures;
    this.maxBodyBytes = maxBodyBytes;
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
    if (rawBody.length > maxBodyBytes) {
      // Before the signature: an HMAC over many megabytes is work anyone could ask of us.
      return tooLarge();
    }
    return signatures.verify(rawBody, signatureHeader)
        .map(app -> ingest.receive(app, rawBody))
        .orElseGet(() -> new Response(401, "invalid signature"));
  }

  @Override
  public Response receive(InputStream body, String signatureHeader) {
    Objects.requireNonNull(body, "body");
    byte[] raw;
    try {
      // One byte past the cap tells a body over it; the rest is never read.
      raw = body.readNBytes(maxBodyBytes + 1);
    } catch (IOException e) {
      return new Response(400, "the body could not be read");
    }
    return raw.length > maxBodyBytes ? tooLarge() : receive(raw, signatureHeader);
  }

  private Response tooLarge() {
    return new Response(413, "body larger than " + maxBodyBytes + " bytes");
  }
}
