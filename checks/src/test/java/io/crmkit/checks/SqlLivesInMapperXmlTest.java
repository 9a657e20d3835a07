package io.crmkit.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every module's SQL is in mapper XML: no module's main Java code holds SQL text, except the
 * migration and start-up infrastructure named here (it runs DDL, or runs before MyBatis exists, as
 * another role than the runtime one).
 */
class SqlLivesInMapperXmlTest {
  /** Java string literals that begin a SQL statement, as a module would write one. */
  static final Pattern SQL = Pattern.compile(
      "\"\\s*(select\\s|insert\\s+into\\s|update\\s+\"|update\\s+[\\w${}.]+\\s+set\\s|delete\\s+from\\s|"
          + "with\\s+\\w+\\s+as\\s*\\(|"
          + "do\\s+\\$\\$|call\\s+[\\w.]+\\s*\\()", Pattern.CASE_INSENSITIVE);

  /** Migration and start-up infrastructure, by path under the repository. */
  private static final Set<String> INFRASTRUCTURE = Set.of(
      "crm-core/src/main/java/io/crmkit/core/internal/Migrations.java",
      "crm-core/src/main/java/io/crmkit/core/internal/RuntimeRoleCheck.java",
      "crm-core/src/main/java/io/crmkit/core/internal/OwnerRoleDataSource.java",
      "crm-core/src/main/java/io/crmkit/core/internal/SearchCheck.java");

  /** The library modules, whose main code ships. */
  private static final List<String> MODULES = List.of("crm-core", "crm-whatsapp", "crm-ticketing",
      "crm-ticketing-whatsapp", "crm-testkit");

  @Test
  void noModulesMainJavaCodeHoldsSqlText() throws IOException {
    Path repository = Path.of("..").toAbsolutePath().normalize();
    List<String> found = new ArrayList<>();
    for (String module : MODULES) {
      Path main = repository.resolve(module).resolve("src/main/java");
      assertThat(main).as("module %s's sources", module).isDirectory();
      try (Stream<Path> files = Files.walk(main)) {
        files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
          String relative = repository.relativize(f).toString().replace('\\', '/');
          if (!INFRASTRUCTURE.contains(relative)) {
            found.addAll(sqlIn(relative, read(f)));
          }
        });
      }
    }
    assertThat(found).as("SQL text in Java; it belongs in the module's mapper XML").isEmpty();
  }

  @Test
  void theCheckFindsTheShapesSqlIsWrittenInAndNotProse() {
    String java = String.join("\n",
        "String a = \"select id from \" + table;",
        "String b = \"  INSERT INTO \" + x;",
        "ps = c.prepareStatement(\"update \" + tx.table(\"messages\") + \" set status = ?\");",
        "String d = \"update crm.messages set x = 1\";",
        "String e = \"with next as (update t set n = n + 1 returning n) select n from next\";",
        "String f = \"delete from crm.x\";",
        "String g = \"do $$ begin end $$\";",
        "log.info(\"update the profile, then select another\");",
        "throw new IllegalStateException(\"a profile with this number exists\");",
        "String h = \"call crm.refresh_counts(?)\";",
        "throw new IllegalStateException(x + \" call it outside a transaction\");");
    assertThat(sqlIn("Example.java", java)).extracting(s -> s.substring(s.indexOf(':') + 1, s.indexOf(' ')))
        .containsExactly("1", "2", "3", "4", "5", "6", "7", "10");
  }

  /** The lines of {@code source} that hold SQL text, as "file:line text". */
  static List<String> sqlIn(String file, String source) {
    List<String> lines = new ArrayList<>();
    String[] all = source.split("\n", -1);
    for (int i = 0; i < all.length; i++) {
      Matcher m = SQL.matcher(all[i]);
      if (m.find()) {
        lines.add(file + ":" + (i + 1) + " " + all[i].strip());
      }
    }
    return lines;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
