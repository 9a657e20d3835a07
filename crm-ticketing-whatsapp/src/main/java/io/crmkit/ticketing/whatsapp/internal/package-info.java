/** The bridge's implementation: its extension points and its mapper. Not API. */
package io.crmkit.ticketing.whatsapp.internal;
