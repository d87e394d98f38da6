package io.spidernet.spiderpool.common.config;

import java.util.List;

/** What every process does first: load its settings, or say what is wrong and exit with status 2. */
public final class Startup {
  private Startup() {}

  public static Settings settingsOrExit(String process, List<Setting<?>> known) {
    try {
      return Settings.fromEnvironment(known);
    } catch (ConfigException e) {
      System.err.println(process + ": " + e.getMessage());
      System.exit(2);
      throw e; // not reached
    }
  }
}
