/**
 * The WhatsApp channel of CRMKit as hosts use it: the module ({@link io.crmkit.whatsapp.WhatsAppModule}),
 * its services, their inputs and records, and the {@link io.crmkit.whatsapp.WhatsAppGateway} SPI.
 * The gateway on the official Cloud API is in {@code io.crmkit.whatsapp.cloudapi}, a media store
 * on the file system in {@code io.crmkit.whatsapp.media}, and a recording fake for tests in
 * {@code io.crmkit.whatsapp.testing}.
 */
package io.crmkit.whatsapp;
