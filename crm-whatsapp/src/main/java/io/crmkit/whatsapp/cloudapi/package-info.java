/** The {@link io.crmkit.whatsapp.WhatsAppGateway} on the official WhatsApp Business Cloud API, the module's default. */
package io.crmkit.whatsapp.cloudapi;
