/** Test support for hosts and CRMKit's own tests: a {@link io.crmkit.whatsapp.WhatsAppGateway} that records and answers as told. */
package io.crmkit.whatsapp.testing;
