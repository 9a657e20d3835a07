package io.crmkit.testdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The README's code examples, checked against the tests that compile and run them: a test marks
 * its copy with {@code // README:<name>:start} and {@code // README:<name>:end}, the README marks
 * its block with {@code <!-- <name>-example:start -->} and {@code <!-- <name>-example:end -->},
 * and the two must be equal (the test's indentation taken off).
 */
public final class ReadmeBlocks {
  private ReadmeBlocks() {}

  /** The test's copy of example {@code name}, from {@code source}, one indentation level taken off. */
  public static String inSource(Path source, String name) throws IOException {
    String text = Files.readString(source, StandardCharsets.UTF_8);
    String start = "// README:" + name + ":start\n";
    int from = text.indexOf(start);
    int to = text.indexOf("// README:" + name + ":end");
    if (from < 0 || to < from) {
      throw new IllegalArgumentException(source + " has no example " + name);
    }
    String block = text.substring(from + start.length(), text.lastIndexOf('\n', to) + 1);
    int indent = block.length() - block.stripLeading().length();
    StringBuilder out = new StringBuilder();
    for (String line : block.split("\n", -1)) {
      out.append(line.length() >= indent ? line.substring(indent) : line.strip()).append('\n');
    }
    return out.substring(0, out.length() - 1);
  }

  /** The README's block of example {@code name}, the code between its fences. */
  public static String inReadme(Path readme, String name) throws IOException {
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    String start = "<!-- " + name + "-example:start -->\n```java\n";
    int from = text.indexOf(start);
    int to = text.indexOf("```\n<!-- " + name + "-example:end -->");
    if (from < 0 || to < from) {
      throw new IllegalArgumentException(readme + " has no example " + name);
    }
    return text.substring(from + start.length(), to);
  }
}
