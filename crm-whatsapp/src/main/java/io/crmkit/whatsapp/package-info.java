/**
 * The WhatsApp channel of CRMKit: the {@link io.crmkit.whatsapp.WhatsAppGateway} SPI, its real
 * implementation on the official Cloud API ({@link io.crmkit.whatsapp.CloudApiGateway}) and a
 * recording fake for tests ({@link io.crmkit.whatsapp.FakeWhatsAppGateway}).
 */
package io.crmkit.whatsapp;
