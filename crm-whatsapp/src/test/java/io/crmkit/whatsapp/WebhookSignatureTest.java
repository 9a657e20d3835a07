package io.crmkit.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
  private static final byte[] BODY = ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\","
      + "\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":"
      + "\"15550783881\",\"phone_number_id\":\"106540352242922\"}},\"field\":\"messages\"}]}]}")
      .getBytes(StandardCharsets.UTF_8);
  private final WebhookSignature signatures = WebhookSignature.of(Map.of("app-a", "secret-a", "app-b", "secret-b"));

  @Test
  void theSecretThatVerifiesTheBodyNamesTheApp() {
    assertThat(signatures.verify(BODY, WebhookSignature.sign("secret-a", BODY))).contains("app-a");
    assertThat(signatures.verify(BODY, WebhookSignature.sign("secret-b", BODY))).contains("app-b");
    assertThat(signatures.verify(BODY, WebhookSignature.sign("secret-b", BODY).toUpperCase()
        .replace("SHA256=", "sha256="))).as("hex in upper case").contains("app-b");
  }

  @Test
  void aKnownValueMatchesAnIndependentHmac() {
    // openssl: printf 'hello' | openssl dgst -sha256 -hmac 'key'
    assertThat(WebhookSignature.sign("key", "hello".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("sha256=9307b3b915efb5171ff14d8cb55fbcc798c6c0ef1456d66ded1a6aa723a58b7b");
  }

  @Test
  void anythingElseVerifiesNothing() {
    String good = WebhookSignature.sign("secret-a", BODY);
    byte[] tampered = BODY.clone();
    tampered[10] ^= 1;
    assertThat(signatures.verify(tampered, good)).as("one bit changed").isEmpty();
    assertThat(signatures.verify(BODY, WebhookSignature.sign("secret-c", BODY))).as("an unknown app").isEmpty();
    assertThat(signatures.verify(BODY, null)).isEmpty();
    assertThat(signatures.verify(BODY, "")).isEmpty();
    assertThat(signatures.verify(BODY, good.substring(7))).as("without sha256=").isEmpty();
    assertThat(signatures.verify(BODY, "sha1=" + good.substring(7))).isEmpty();
    assertThat(signatures.verify(BODY, good.substring(0, good.length() - 2))).as("too short").isEmpty();
    assertThat(signatures.verify(BODY, good.substring(0, good.length() - 1) + "g")).as("not hex").isEmpty();
  }

  @Test
  void configurationMistakesAreRefusedAndSecretsNeverPrint() {
    assertThatThrownBy(() -> WebhookSignature.of(Map.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebhookSignature.of(Map.of("a", " "))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebhookSignature.of(Map.of("a", "same", "b", "same")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same secret");
    assertThat(signatures.toString()).doesNotContain("secret-a", "secret-b");
  }
}
