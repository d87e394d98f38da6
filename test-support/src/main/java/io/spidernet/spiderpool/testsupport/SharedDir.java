package io.spidernet.spiderpool.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code shared/} directory beside this repository: the seed documents and Spiderpool's
 * published API, which tests read as the contract to meet. Found from the system property
 * {@code spiderpool.shared.dir} (set by the build) or {@code ../shared} from the working directory.
 */
public final class SharedDir {
  private SharedDir() {}

  public static Path get() {
    String configured = System.getProperty("spiderpool.shared.dir");
    Path dir = configured != null ? Path.of(configured) : Path.of("..", "shared");
    if (!Files.isDirectory(dir.resolve("seeds"))) {
      throw new IllegalStateException("shared/ directory with seeds/ not found at " + dir.toAbsolutePath()
          + "; it sits beside the repository (set -Dspiderpool.shared.dir to point elsewhere)");
    }
    return dir.normalize();
  }

  public static Path seeds() {
    return get().resolve("seeds");
  }

  public static Path referenceApi() {
    return get().resolve("reference").resolve("spiderpool-api");
  }
}
