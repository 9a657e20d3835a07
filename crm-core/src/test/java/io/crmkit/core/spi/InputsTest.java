package io.crmkit.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.exception.ValidationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The characters rule of {@link Inputs}, which every module's text goes through; pure Java. */
class InputsTest {
  private static final String RTL = "\u200Fمرحبا\u200E";

  @Test
  void oneLineTextRefusesControlCharactersAndBrokenUtf16() {
    for (String bad : List.of("a\u0000b", "a\nb", "a\tb", "a\u0007", "a\u007Fb", "a\u0085b", "a\uD800b", "a\uDC00",
        "\uD83D")) {
      assertThatThrownBy(() -> Inputs.text("name", bad, 100)).as(bad)
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("name"));
    }
  }

  @Test
  void textKeepsRightToLeftMarksEmojiAndSqlMetacharacters() {
    assertThat(Inputs.text("name", " " + RTL + " ", 100)).isEqualTo(RTL);
    assertThat(Inputs.text("name", "O'Brien; DROP TABLE x; -- 😀", 100)).isEqualTo("O'Brien; DROP TABLE x; -- 😀");
  }

  @Test
  void lengthAndBlanknessAreRefusedWithTheirReason() {
    assertThatThrownBy(() -> Inputs.text("name", "x".repeat(101), 100)).hasMessage("name: must be at most 100 characters");
    assertThatThrownBy(() -> Inputs.text("name", " \t ", 100)).hasMessage("name: must not be blank");
    assertThatThrownBy(() -> Inputs.text("name", null, 100)).hasMessage("name: is required");
    assertThatThrownBy(() -> Inputs.multiline("body", "\n\n", 100)).hasMessage("body: must not be blank");
  }

  @Test
  void multilineTextTakesTabsAndLineBreaksOnly() {
    assertThat(Inputs.multiline("body", "line 1\r\n\tline 2\n", 100)).isEqualTo("line 1\r\n\tline 2\n");
    assertThatThrownBy(() -> Inputs.multiline("body", "a\u0000", 100))
        .hasMessage("body: holds a control character (U+0000) at index 1; only tabs and line breaks are allowed");
    assertThatThrownBy(() -> Inputs.multiline("body", "a\uDBFF", 100))
        .hasMessage("body: holds broken UTF-16 (an unpaired surrogate) at index 1");
    assertThat(Inputs.optionalMultiline("notes", "  ", 100)).isEmpty();
  }

  @Test
  void outsideTextIsCleanedNotRefused() {
    assertThat(Inputs.outsideText("a\u0000b\u0007c\nd\te\u0085")).isEqualTo("abc\nd\te");
    assertThat(Inputs.outsideText("x\uD800y\uDC00z😀")).isEqualTo("x\uFFFDy\uFFFDz😀");
    String clean = RTL + " ok";
    assertThat(Inputs.outsideText(clean)).isSameAs(clean);
    assertThat(Inputs.outsideText(null)).isNull();
  }

  @Test
  void tagsEmailsAndCustomFieldsFollowTheSameRule() {
    assertThatThrownBy(() -> Inputs.tags("tags", List.of("vip", "a\u0000"))).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> Inputs.email("email", "a\u0000b@x.com")).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> Inputs.customFields("customFields", Map.of("city", List.of("ok", "x\u0000"))))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("customFields.city[1]"));
    assertThatThrownBy(() -> Inputs.customFields("customFields", Map.of("k\u0001", "v")))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> Inputs.customFields("customFields", Map.of("ratio", Double.NaN)))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("customFields.ratio"));
    assertThat(Inputs.customFields("customFields", Map.of("note", "two\nlines")).get("note").textValue())
        .isEqualTo("two\nlines");
  }

  @Test
  void pageSizesOutsideTheirRangeAreRefused() {
    for (int size : new int[] {0, -1, Integer.MIN_VALUE, 201, Integer.MAX_VALUE}) {
      assertThatThrownBy(() -> Inputs.pageSize("limit", size, 200)).as("" + size)
          .hasMessage("limit: must be 1 to 200");
    }
  }
}
