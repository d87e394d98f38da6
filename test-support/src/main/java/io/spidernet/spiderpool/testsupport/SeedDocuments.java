package io.spidernet.spiderpool.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Extracts the objects a reader of the seed documents would apply: the bodies of
 * {@code cat <<EOF | kubectl apply|create -f -} heredocs, dedented to the command's indentation,
 * with the shell variables the document assigns substituted. A heredoc ends at {@code EOF} or at
 * the closing code fence (seed 000 forgets its {@code EOF} once).
 *
 * <p>Seed 001 is left out: it is seed 000 with all indentation flattened, so its YAML is not YAML.
 */
public final class SeedDocuments {
  /** Seeds whose heredocs are not parseable YAML, with the reason. */
  public static final Map<String, String> UNPARSEABLE =
      Map.of("001_0c645d854b282ae8.txt", "seed 000 flattened to plain text: the YAML lost its indentation");

  private static final Pattern HEREDOC = Pattern.compile("^(\\s*)(?:~# )?cat <<EOF \\| kubectl (apply|create) -f -\\s*$");
  private static final Pattern ASSIGNMENT = Pattern.compile("^\\s*([A-Z][A-Z0-9_]*)=\"?([^\"]*)\"?\\s*$");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");
  private static final YAMLMapper YAML = new YAMLMapper();

  private SeedDocuments() {}

  /** Every object of every parseable seed, in file and line order. */
  public static List<SeedDocument> all() {
    List<SeedDocument> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(SharedDir.seeds())) {
      for (Path file : files.filter(f -> f.toString().endsWith(".txt")).sorted().toList()) {
        if (!UNPARSEABLE.containsKey(file.getFileName().toString())) {
          out.addAll(of(file));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The objects of the given API group (e.g. {@code spiderpool.spidernet.io}). */
  public static List<SeedDocument> ofGroup(String group) {
    return all().stream().filter(d -> d.apiVersion().startsWith(group + "/")).toList();
  }

  public static List<SeedDocument> of(Path seed) {
    List<String> lines;
    try {
      lines = Files.readAllLines(seed, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String name = seed.getFileName().toString();
    Map<String, String> variables = new HashMap<>();
    List<SeedDocument> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher assignment = ASSIGNMENT.matcher(lines.get(i));
      if (assignment.matches()) {
        variables.put(assignment.group(1), assignment.group(2));
      }
      Matcher heredoc = HEREDOC.matcher(lines.get(i));
      if (!heredoc.matches()) {
        continue;
      }
      int indent = heredoc.group(1).length();
      int start = i + 1;
      int end = start;
      while (end < lines.size() && !lines.get(end).strip().equals("EOF") && !lines.get(end).strip().startsWith("```")) {
        end++;
      }
      out.addAll(split(name, lines.subList(start, end), start + 1, indent, variables));
      i = end;
    }
    return out;
  }

  private static List<SeedDocument> split(
      String seed, List<String> body, int firstLine, int indent, Map<String, String> variables) {
    List<SeedDocument> out = new ArrayList<>();
    StringBuilder doc = new StringBuilder();
    int docLine = firstLine;
    for (int k = 0; k <= body.size(); k++) {
      String line = k < body.size() ? dedent(body.get(k), indent) : "---";
      if (line.strip().equals("---")) {
        if (!doc.toString().isBlank()) {
          String yaml = substitute(doc.toString(), variables, seed, docLine);
          out.add(new SeedDocument(seed, docLine, yaml, parse(yaml, seed, docLine)));
        }
        doc.setLength(0);
        docLine = firstLine + k + 1;
        continue;
      }
      doc.append(line).append('\n');
    }
    return out;
  }

  private static String dedent(String line, int indent) {
    int strip = 0;
    while (strip < indent && strip < line.length() && line.charAt(strip) == ' ') {
      strip++;
    }
    return line.substring(strip);
  }

  private static String substitute(String yaml, Map<String, String> variables, String seed, int line) {
    Matcher m = VARIABLE.matcher(yaml);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = variables.get(m.group(1));
      if (value == null) {
        throw new IllegalStateException(seed + ":" + line + " uses ${" + m.group(1) + "}, which the document never assigns");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static JsonNode parse(String yaml, String seed, int line) {
    try {
      return YAML.readTree(yaml);
    } catch (RuntimeException e) {
      throw new IllegalStateException(seed + ":" + line + " is not YAML: " + e.getMessage(), e);
    }
  }
}
