package io.spidernet.spiderpool.controller.init;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.spidernet.spiderpool.common.config.Settings;
import io.spidernet.spiderpool.common.config.Startup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code spiderpool-controller init}: creates the defaults, writes the readiness file, exits 0 (or 1 naming what failed). */
public final class InitCommand {
  private InitCommand() {}

  public static void main(String[] args) {
    Settings settings = Startup.settingsOrExit("spiderpool-controller init", InitSettings.ALL, List.of());
    Logger log = LoggerFactory.getLogger(InitCommand.class);
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      List<String> created = new InitDefaults(client, settings).run();
      log.info("init done: created {}", created.isEmpty() ? "nothing (everything existed)" : created);
      Path ready = Path.of(settings.get(InitSettings.READINESS_FILE));
      try {
        Files.createDirectories(ready.getParent());
        Files.writeString(ready, "ready\n");
      } catch (java.io.IOException e) {
        log.warn("cannot write the readiness file {}: {}", ready, e.getMessage());
      }
    } catch (RuntimeException | InterruptedException e) {
      log.error("spiderpool-controller init failed: {}", e.getMessage());
      System.exit(1);
    }
  }
}
