package io.crmkit.core.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the rows an import stored so far, across its batches, took: their WhatsApp phones, emails
 * and external ids, and the keys the customers they matched had before, so a row repeating an
 * earlier row's customer is refused however far apart they are (a later row can only reach that
 * customer by one of those keys): the first row wins, and a second import of the file changes
 * nothing (a later row updating the customer an earlier one stored would flip it back and forth on
 * every import).
 *
 * <p>Kept as 64-bit fingerprints in an open-addressed table at most three-quarters full that
 * doubles: 11 to 21 bytes a key, and the old table with the new while it grows. For a million new
 * rows with a phone and an email each, 34 MB, 50 MB at the moment it grows. Two keys share a
 * fingerprint with a chance of about 2<sup>-64</sup> a pair.
 */
final class ImportSeen {
  private static final String[] FIELDS = {"whatsapp_phone", "email_key", "external_id"};

  private long[] table = new long[1 << 10];
  private int size;

  /** Whether one of the row's keys is an earlier stored row's. */
  boolean repeats(ObjectNode row) {
    for (int kind = 0; kind < FIELDS.length; kind++) {
      String key = row.path(FIELDS[kind]).asText(null);
      if (key != null && contains(fingerprint(kind, key))) {
        return true;
      }
    }
    return false;
  }

  /** Records the keys a customer a stored row matched had (a later row reaching it has one of them). */
  void add(Rows.CustomerKey customer) {
    String[] keys = {customer.whatsappPhone, customer.emailLower, customer.externalId};
    for (int kind = 0; kind < keys.length; kind++) {
      if (keys[kind] != null) {
        add(fingerprint(kind, keys[kind]));
      }
    }
  }

  /** Records a stored row's keys. */
  void add(ObjectNode row) {
    for (int kind = 0; kind < FIELDS.length; kind++) {
      String key = row.path(FIELDS[kind]).asText(null);
      if (key != null) {
        add(fingerprint(kind, key));
      }
    }
  }

  private boolean contains(long fingerprint) {
    int mask = table.length - 1;
    for (int i = slot(fingerprint, mask); table[i] != 0; i = (i + 1) & mask) {
      if (table[i] == fingerprint) {
        return true;
      }
    }
    return false;
  }

  private void add(long fingerprint) {
    if ((size + 1) * 4L > table.length * 3L) {
      long[] old = table;
      table = new long[old.length * 2];
      size = 0;
      for (long f : old) {
        if (f != 0) {
          put(f);
        }
      }
    }
    put(fingerprint);
  }

  private void put(long fingerprint) {
    int mask = table.length - 1;
    int i = slot(fingerprint, mask);
    while (table[i] != 0) {
      if (table[i] == fingerprint) {
        return;
      }
      i = (i + 1) & mask;
    }
    table[i] = fingerprint;
    size++;
  }

  private static int slot(long fingerprint, int mask) {
    return (int) (fingerprint ^ (fingerprint >>> 32)) & mask;
  }

  /** FNV-1a over the kind and the key's characters, then MurmurHash3's finalizer; never 0 (an empty slot). */
  static long fingerprint(int kind, String key) {
    long h = 0xcbf29ce484222325L;
    h = (h ^ kind) * 0x100000001b3L;
    for (int i = 0; i < key.length(); i++) {
      h = (h ^ key.charAt(i)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb93fe1a85ec3L;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }
}
