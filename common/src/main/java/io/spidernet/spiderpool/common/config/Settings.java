package io.spidernet.spiderpool.common.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The values of a process's settings, read once at start from the environment. Every problem is
 * reported at once, and an unknown {@code SPIDERPOOL_*} variable is an error (a typo must not
 * silently fall back to a default), except the service-link variables Kubernetes injects for
 * Services whose name starts with {@code spiderpool-} (e.g. {@code SPIDERPOOL_AGENT_SERVICE_HOST}).
 */
public final class Settings {
  private static final String PREFIX = "SPIDERPOOL_";
  /** Service-link variable names and the shape of their values, so a typo is not mistaken for one. */
  private static final List<Pattern[]> SERVICE_LINKS = List.of(
      link("_SERVICE_HOST", "[0-9a-fA-F.:]+"),
      link("_SERVICE_PORT(_[A-Z0-9_]+)?", "\\d+"),
      link("_PORT", "(tcp|udp|sctp)://[0-9a-fA-F.:\\[\\]]+:\\d+"),
      link("_PORT_\\d+_(TCP|UDP|SCTP)", "(tcp|udp|sctp)://[0-9a-fA-F.:\\[\\]]+:\\d+"),
      link("_PORT_\\d+_(TCP|UDP|SCTP)_PROTO", "tcp|udp|sctp"),
      link("_PORT_\\d+_(TCP|UDP|SCTP)_PORT", "\\d+"),
      link("_PORT_\\d+_(TCP|UDP|SCTP)_ADDR", "[0-9a-fA-F.:]+"));

  private static Pattern[] link(String suffix, String value) {
    return new Pattern[] {Pattern.compile("SPIDERPOOL_[A-Z0-9_]+" + suffix), Pattern.compile(value)};
  }

  private static boolean isServiceLink(String name, String value) {
    for (Pattern[] link : SERVICE_LINKS) {
      if (link[0].matcher(name).matches() && link[1].matcher(value).matches()) {
        return true;
      }
    }
    return false;
  }

  private final Map<Setting<?>, Object> values;

  private Settings(Map<Setting<?>, Object> values) {
    this.values = values;
  }

  public static Settings fromEnvironment(List<Setting<?>> known) {
    return load(known, System.getenv());
  }

  public static Settings load(List<Setting<?>> known, Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    Map<Setting<?>, Object> values = new LinkedHashMap<>();
    Set<String> names = new HashSet<>();
    for (Setting<?> s : known) {
      names.add(s.name());
      String raw = env.get(s.name());
      if (raw == null || (raw.isEmpty() && !s.required())) {
        if (s.required()) {
          problems.add(s.name() + " is required (" + s.help() + ")");
        }
        values.put(s, s.defaultValue());
        continue;
      }
      try {
        values.put(s, s.parser().apply(raw));
      } catch (IllegalArgumentException e) {
        problems.add(s.name() + "=\"" + raw + "\": " + e.getMessage());
      }
    }
    Set<String> unknown = new TreeSet<>();
    for (String name : env.keySet()) {
      if (name.startsWith(PREFIX) && !names.contains(name) && !isServiceLink(name, env.get(name))) {
        unknown.add(name);
      }
    }
    for (String name : unknown) {
      problems.add(name + " is not a setting of this process (known: " + new TreeSet<>(names) + ")");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new Settings(values);
  }

  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    if (!values.containsKey(setting)) {
      throw new IllegalArgumentException(setting.name() + " is not among the settings this process loaded");
    }
    return (T) values.get(setting);
  }

  /** One line per setting, {@code NAME=value}, for the start-up log. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<Setting<?>, Object> e : values.entrySet()) {
      sb.append("\n  ").append(e.getKey().name()).append('=').append(e.getValue());
    }
    return sb.toString();
  }

}
