/** Implementation of the WhatsApp channel. Not API; may change in any release. */
package io.crmkit.whatsapp.internal;
