package io.crmkit.whatsapp.internal;

import java.util.UUID;

/** A whatsapp_contacts row as {@link ContactResolver} needs it; absent values are null. */
record ContactRow(UUID id, String bsuid, String phone, String username, String name) {}
