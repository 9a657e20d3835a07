package io.crmkit.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The profile draft's builder: each value set by name, the session optional and never printed. */
class WhatsAppProfileDraftTest {

  @Test
  void eachValueIsSetByItsNameAndTheSessionIsOptional() {
    WhatsAppProfileDraft draft = WhatsAppProfileDraft.builder().metaAppId("1234567890").phoneNumberId("106540352242922")
        .phoneNumber("+966501234567").name("Sales").session("EAAG-secret").build();
    assertThat(draft).isEqualTo(new WhatsAppProfileDraft("Sales", "+966501234567", "106540352242922", "1234567890",
        Optional.of("EAAG-secret")));
    assertThat(draft.toString()).contains("phoneNumberId=106540352242922", "metaAppId=1234567890")
        .doesNotContain("EAAG");

    WhatsAppProfileDraft waiting = WhatsAppProfileDraft.builder().name("Support").phoneNumber("+966501234568")
        .phoneNumberId("106540352242923").metaAppId("1234567890").build();
    assertThat(waiting.session()).isEmpty();
  }

  @Test
  void aRequiredValueLeftOutIsNamed() {
    assertThatThrownBy(() -> WhatsAppProfileDraft.builder().name("Sales").phoneNumber("+966501234567")
        .phoneNumberId("106540352242922").build()).isInstanceOf(NullPointerException.class).hasMessage("metaAppId");
    assertThatThrownBy(() -> WhatsAppProfileDraft.builder().session(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("accessToken");
  }
}
