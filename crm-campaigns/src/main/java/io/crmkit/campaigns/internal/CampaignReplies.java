package io.crmkit.campaigns.internal;

import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.whatsapp.spi.InboundText;
import io.crmkit.whatsapp.spi.InboundTexts;

/**
 * A user's message answers the latest campaign message they were sent, within three days: the
 * recipient's {@code replied_at} and its campaign's count, once.
 */
final class CampaignReplies implements InboundTexts {
  @Override
  public void received(TenantTransaction tx, InboundText text) {
    if (text.phone().isEmpty() && text.userId().isEmpty()) {
      return;
    }
    tx.mapper(CampaignMapper.class).replied(tx.organizationId(), text.phone().orElse(null),
        text.userId().orElse(null), text.at());
  }
}
