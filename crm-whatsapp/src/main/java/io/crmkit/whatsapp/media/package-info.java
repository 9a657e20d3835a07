/** {@link io.crmkit.whatsapp.MediaStore}s that ship with crm-whatsapp: inbound media on the host's file system. */
package io.crmkit.whatsapp.media;
