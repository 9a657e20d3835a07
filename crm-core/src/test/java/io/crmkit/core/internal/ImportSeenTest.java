package io.crmkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkit.core.spi.Json;
import org.junit.jupiter.api.Test;

/** The keys an import remembers across its batches: all of them kept through the table's growth, by kind. */
class ImportSeenTest {
  private static ObjectNode row(String field, String value) {
    ObjectNode row = Json.MAPPER.createObjectNode();
    row.put(field, value);
    return row;
  }

  @Test
  void everyKeyAddedIsFoundAfterTheTableGrewAndNoOtherIs() {
    ImportSeen seen = new ImportSeen();
    int keys = 200_000;
    for (int i = 0; i < keys; i++) {
      ObjectNode row = row("whatsapp_phone", "+9665" + (10_000_000 + i));
      row.put("email_key", "c" + i + "@example.sa");
      seen.add(row);
    }
    for (int i = 0; i < keys; i++) {
      assertThat(seen.repeats(row("whatsapp_phone", "+9665" + (10_000_000 + i)))).isTrue();
      assertThat(seen.repeats(row("email_key", "c" + i + "@example.sa"))).isTrue();
      assertThat(seen.repeats(row("whatsapp_phone", "+9665" + (20_000_000 + i)))).isFalse();
    }
    assertThat(seen.repeats(row("external_id", "+966510000000"))).as("a phone is no external id").isFalse();
    assertThat(seen.repeats(row("full_name", "c1@example.sa"))).as("only the keys count").isFalse();
  }
}
