package io.spidernet.spiderpool.agent.ipam;

import java.util.regex.Pattern;

/**
 * Shell wildcards in pool names ({@code *}, {@code ?}, {@code [a-c]}, {@code [^x]}), with the
 * semantics of Go's {@code path.Match} that Spiderpool uses: no braces, {@code ^} negates a class.
 */
final class PoolGlob {
  private PoolGlob() {}

  static boolean isGlob(String name) {
    return name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('[') >= 0;
  }

  /** The pattern as a regex; throws IllegalArgumentException for a malformed pattern. */
  static Pattern compile(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> re.append("[^/]*");
        case '?' -> re.append("[^/]");
        case '\\' -> {
          if (++i == glob.length()) {
            throw new IllegalArgumentException("pattern \"" + glob + "\" ends with '\\'");
          }
          re.append(Pattern.quote(String.valueOf(glob.charAt(i))));
        }
        case '[' -> {
          int end = glob.indexOf(']', i + 2);
          if (end < 0) {
            throw new IllegalArgumentException("pattern \"" + glob + "\" has an unclosed '['");
          }
          String body = glob.substring(i + 1, end);
          boolean negate = body.startsWith("^");
          if (negate) {
            body = body.substring(1);
          }
          re.append(negate ? "[^" : "[").append(body.replace("\\", "\\\\").replace("[", "\\[")).append(']');
          i = end;
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
