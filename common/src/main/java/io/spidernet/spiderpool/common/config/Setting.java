package io.spidernet.spiderpool.common.config;

import java.time.Duration;
import java.util.function.Function;

/**
 * One configuration value read from an environment variable: its name, how to parse it, its
 * default (null when required) and what it is for. Parsers throw {@link IllegalArgumentException}
 * with a message saying what is wrong; {@link Settings} adds the variable's name.
 */
public record Setting<T>(String name, Function<String, T> parser, T defaultValue, boolean required, String help) {
  public static Setting<String> string(String name, String defaultValue, String help) {
    return new Setting<>(name, s -> s, defaultValue, false, help);
  }

  public static Setting<String> requiredString(String name, String help) {
    return new Setting<>(name, s -> {
      if (s.isBlank()) {
        throw new IllegalArgumentException("must not be empty");
      }
      return s;
    }, null, true, help);
  }

  public static Setting<Boolean> bool(String name, boolean defaultValue, String help) {
    return new Setting<>(name, Setting::parseBool, defaultValue, false, help);
  }

  /** A TCP port; 0 asks the system for a free one (several agents on one test machine). */
  public static Setting<Integer> port(String name, int defaultValue, String help) {
    return new Setting<>(name, s -> intBetween(s, 0, 65535), defaultValue, false, help);
  }

  public static Setting<Integer> positiveInt(String name, int defaultValue, String help) {
    return new Setting<>(name, s -> intBetween(s, 1, Integer.MAX_VALUE), defaultValue, false, help);
  }

  public static Setting<Duration> seconds(String name, long defaultSeconds, String help) {
    return new Setting<>(name, s -> Duration.ofSeconds(intBetween(s, 0, Integer.MAX_VALUE)),
        Duration.ofSeconds(defaultSeconds), false, help);
  }

  public static <E extends Enum<E>> Setting<E> oneOf(String name, Class<E> type, E defaultValue, Function<E, String> text, String help) {
    return new Setting<>(name, s -> {
      for (E e : type.getEnumConstants()) {
        if (text.apply(e).equalsIgnoreCase(s)) {
          return e;
        }
      }
      StringBuilder allowed = new StringBuilder();
      for (E e : type.getEnumConstants()) {
        allowed.append(allowed.length() == 0 ? "" : ", ").append(text.apply(e));
      }
      throw new IllegalArgumentException("must be one of " + allowed);
    }, defaultValue, false, help);
  }

  /** The forms Go's strconv.ParseBool accepts, which Spiderpool's environment uses. */
  static boolean parseBool(String s) {
    return switch (s.strip()) {
      case "1", "t", "T", "true", "TRUE", "True" -> true;
      case "0", "f", "F", "false", "FALSE", "False" -> false;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }

  private static int intBetween(String s, int min, int max) {
    long value;
    try {
      value = Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a whole number");
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException("must be between " + min + " and " + max);
    }
    return (int) value;
  }
}
