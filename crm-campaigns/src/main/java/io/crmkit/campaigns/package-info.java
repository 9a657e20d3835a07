/**
 * crm-campaigns: bulk WhatsApp campaigns. A tenant writes the content (an approved template with
 * values per recipient, or free-form text), picks recipients (customers, a tag, phone numbers or
 * business-scoped user ids; one per WhatsApp identity), and schedules or starts it; every
 * recipient's message is rendered first, so a missing value is refused before anything is sent.
 * Hosts reach it from a scope, {@code scope.service(CampaignService.class)}; the module itself is
 * {@link io.crmkit.campaigns.CampaignsModule}, found on the class path.
 */
package io.crmkit.campaigns;
