package io.spidernet.spiderpool.common.config;

import java.util.List;

/** What every process does first: load its settings, or say what is wrong and exit with status 2. */
public final class Startup {
  private Startup() {}

  /**
   * Loads the settings and applies {@code SPIDERPOOL_LOG_LEVEL} before any logger exists; a feature
   * switch in {@code unsupported} that is on is refused (this project does not have it), as any other
   * problem: printed with the process name, exit status 2.
   */
  public static Settings settingsOrExit(String process, List<Setting<?>> known, List<Setting<Boolean>> unsupported) {
    try {
      Settings settings = Settings.fromEnvironment(known);
      for (Setting<Boolean> feature : unsupported) {
        if (settings.get(feature)) {
          throw new ConfigException(List.of(feature.name() + "=true asks for a feature " + process
              + " does not have; unset it or set it to false"));
        }
      }
      if (known.contains(ProcessSettings.LOG_LEVEL)) {
        settings.get(ProcessSettings.LOG_LEVEL).apply();
      }
      return settings;
    } catch (ConfigException e) {
      System.err.println(process + ": " + e.getMessage());
      System.exit(2);
      throw e; // not reached
    }
  }
}
