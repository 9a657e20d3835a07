package io.crmkit.whatsapp.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.whatsapp.OutgoingMessage;
import io.crmkit.whatsapp.SendFailure;
import io.crmkit.whatsapp.SendResult;
import io.crmkit.whatsapp.WhatsAppSender;
import org.junit.jupiter.api.Test;

/** The recording fake hosts' tests send through. */
class FakeWhatsAppGatewayTest {
  private static final WhatsAppSender SENDER = new WhatsAppSender("106540352242922", "EAAG-secret-token");

  @Test
  void theFakeRecordsAndAnswersAsQueued() {
    FakeWhatsAppGateway fake = new FakeWhatsAppGateway();
    SendResult limited = new SendResult.Failed(new SendFailure(SendFailure.Kind.RATE_LIMITED, 130429, "slow down"));
    fake.thenAnswer(limited);
    OutgoingMessage hi = new OutgoingMessage.Text("+966501234567", "hi");
    assertThat(fake.send(SENDER, hi)).isEqualTo(limited);
    assertThat(fake.send(SENDER, hi)).isEqualTo(new SendResult.Accepted("wamid.fake.1"));
    fake.markRead(SENDER, "wamid.IN1");
    assertThat(fake.sent()).extracting(FakeWhatsAppGateway.Sent::result)
        .containsExactly(limited, new SendResult.Accepted("wamid.fake.1"));
    assertThat(fake.readReceipts()).containsExactly(new FakeWhatsAppGateway.ReadReceipt("106540352242922", "wamid.IN1"));
  }
}
