package io.spidernet.spiderpool.controller;

import io.spidernet.spiderpool.common.config.ConfFile;
import io.spidernet.spiderpool.common.config.ProcessSettings;
import io.spidernet.spiderpool.common.config.Settings;
import io.spidernet.spiderpool.common.config.Startup;
import io.spidernet.spiderpool.common.http.NativeVertx;
import io.spidernet.spiderpool.controller.init.CleanCommand;
import io.spidernet.spiderpool.controller.init.InitCommand;
import io.spidernet.spiderpool.webhook.rules.WebhookConfig;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of {@code spiderpool-controller}: controllers and the admission webhooks; {@code init}
 * (the chart's post-install defaults) and {@code clean} (its pre-delete hook) as sub-commands.
 */
public final class ControllerMain {
  private ControllerMain() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("init")) {
      InitCommand.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("clean")) {
      CleanCommand.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    Settings settings = Startup.settingsOrExit("spiderpool-controller", ControllerSettings.ALL,
        List.of(ProcessSettings.ENABLED_DEBUG_METRIC));
    // Created after the settings: SPIDERPOOL_LOG_LEVEL must be applied before the first logger.
    Logger log = LoggerFactory.getLogger(ControllerMain.class);
    Path configPath = ConfFile.pathFromArgs("spiderpool-controller", args);
    WebhookConfig config;
    ControllerConfig controllerConfig;
    try {
      config = WebhookConfig.load(configPath);
      controllerConfig = ControllerConfig.load(configPath);
    } catch (IllegalArgumentException e) {
      System.err.println("spiderpool-controller: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (!Files.exists(configPath)) {
      log.warn("no configuration file at {}: using the chart's defaults", configPath);
    }
    log.info("spiderpool-controller starting with{}\n  {}\n  {}", settings.describe(), config, controllerConfig);
    Vertx vertx = NativeVertx.create();
    ControllerApp.start(vertx, settings, config, controllerConfig)
        .onSuccess(app -> {
          log.info("admission webhooks on https :{}, probes on :{}", app.admission().port(), app.healthPort());
          Runtime.getRuntime().addShutdownHook(new Thread(() -> app.close().toCompletionStage().toCompletableFuture().join()));
        })
        .onFailure(e -> {
          log.error("spiderpool-controller cannot start: {}", e.getMessage(), e);
          vertx.close().onComplete(x -> System.exit(1));
        });
  }
}
