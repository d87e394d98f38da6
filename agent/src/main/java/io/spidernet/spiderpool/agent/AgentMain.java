package io.spidernet.spiderpool.agent;

import io.spidernet.spiderpool.agent.config.AgentConfig;
import io.spidernet.spiderpool.agent.warmup.AotTraining;
import io.spidernet.spiderpool.common.config.ConfFile;
import io.spidernet.spiderpool.common.config.Settings;
import io.spidernet.spiderpool.common.config.Startup;
import io.spidernet.spiderpool.common.http.NativeVertx;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of {@code spiderpool-agent}, the per-node IPAM agent ({@code install-plugins DIR}: see
 * {@link PluginInstaller}; {@code aot-training}: see {@link AotTraining}). Flags: {@code --config-path}
 * (the {@code spiderpool-conf} file, default {@value AgentConfig#DEFAULT_PATH}). Environment:
 * {@link AgentSettings} and {@code MULTUS_CLUSTER_NETWORK}.
 */
public final class AgentMain {
  private AgentMain() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("install-plugins")) {
      PluginInstaller.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("aot-training")) {
      AotTraining.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    Settings settings = Startup.settingsOrExit("spiderpool-agent", AgentSettings.ALL, AgentSettings.UNSUPPORTED);
    // Created after the settings: SPIDERPOOL_LOG_LEVEL must be applied before the first logger.
    Logger log = LoggerFactory.getLogger(AgentMain.class);
    Path configPath = ConfFile.pathFromArgs("spiderpool-agent", args);
    AgentConfig config;
    try {
      config = AgentConfig.load(configPath);
    } catch (IllegalArgumentException e) {
      System.err.println("spiderpool-agent: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (!Files.exists(configPath)) {
      log.warn("no configuration file at {}: using the chart's defaults", configPath);
    }
    String clusterNetwork = System.getenv("MULTUS_CLUSTER_NETWORK");
    log.info("spiderpool-agent starting on node {} with{}\n  {}", settings.get(AgentSettings.NODE_NAME), settings.describe(), config);
    Vertx vertx = NativeVertx.create();
    AgentApp.start(vertx, settings, config, clusterNetwork)
        .onSuccess(app -> {
          log.info("serving the IPAM API on unix:{} {} ms after the JVM started", config.ipamUnixSocketPath(),
              ManagementFactory.getRuntimeMXBean().getUptime());
          Runtime.getRuntime().addShutdownHook(new Thread(() -> app.close().toCompletionStage().toCompletableFuture().join()));
        })
        .onFailure(e -> {
          log.error("spiderpool-agent cannot start: {}", e.getMessage(), e);
          vertx.close().onComplete(x -> System.exit(1));
        });
  }
}
