package io.crmkit.campaigns;

import io.crmkit.whatsapp.NumberCheck;
import io.crmkit.whatsapp.OutgoingMessage;
import io.crmkit.whatsapp.SendResult;
import io.crmkit.whatsapp.WhatsAppGateway;
import io.crmkit.whatsapp.WhatsAppSender;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.util.function.Function;

/**
 * A gateway that sends through a {@link FakeWhatsAppGateway}, then lets a test act in the middle
 * of the call (given the send's tag): pause the campaign, deliver a status, let the lease run out,
 * or end the "process" with an {@link Error}; a non-null answer replaces the fake's.
 */
final class ScriptedGateway implements WhatsAppGateway {
  private final FakeWhatsAppGateway fake;
  private final Function<String, SendResult> during;

  ScriptedGateway(FakeWhatsAppGateway fake, Function<String, SendResult> during) {
    this.fake = fake;
    this.during = during;
  }

  @Override
  public SendResult send(WhatsAppSender sender, OutgoingMessage message) {
    throw new IllegalStateException("the runner sends with its attempt id");
  }

  @Override
  public SendResult send(WhatsAppSender sender, OutgoingMessage message, String tag) {
    SendResult answer = fake.send(sender, message, tag);
    SendResult replaced = during.apply(tag);
    return replaced != null ? replaced : answer;
  }

  @Override
  public SendResult markRead(WhatsAppSender sender, String providerMessageId) {
    return fake.markRead(sender, providerMessageId);
  }

  @Override
  public NumberCheck verifyNumber(WhatsAppSender sender) {
    return fake.verifyNumber(sender);
  }

  @Override
  public MediaFetch fetchMedia(WhatsAppSender sender, String mediaId, MediaSink sink) {
    return fake.fetchMedia(sender, mediaId, sink);
  }

  /** The end of a process, as far as the code it runs can tell. */
  static final class Dies extends Error {
    private static final long serialVersionUID = 1L;
  }
}
