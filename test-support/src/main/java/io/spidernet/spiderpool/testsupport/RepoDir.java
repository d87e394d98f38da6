package io.spidernet.spiderpool.testsupport;

import java.nio.file.Path;

/**
 * The repository's root, where tests find the chart, the examples and the built binaries: the
 * system property {@code spiderpool.root.dir} (set by the build), else the parent of the module
 * directory. Nothing a test reads lies outside it.
 */
public final class RepoDir {
  private RepoDir() {}

  public static Path get() {
    return Path.of(System.getProperty("spiderpool.root.dir", "..")).toAbsolutePath().normalize();
  }

  public static Path resolve(String relative) {
    return get().resolve(relative);
  }
}
