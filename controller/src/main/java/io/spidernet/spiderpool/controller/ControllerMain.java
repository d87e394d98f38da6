package io.spidernet.spiderpool.controller;

import io.spidernet.spiderpool.common.config.Settings;
import io.spidernet.spiderpool.common.config.Startup;
import io.spidernet.spiderpool.common.http.HealthServer;
import io.spidernet.spiderpool.common.http.NativeVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of {@code spiderpool-controller}: controllers and the admission webhooks. */
public final class ControllerMain {
  private ControllerMain() {}

  public static void main(String[] args) {
    Settings settings = Startup.settingsOrExit("spiderpool-controller", ControllerSettings.ALL,
        java.util.List.of(io.spidernet.spiderpool.common.config.ProcessSettings.ENABLED_DEBUG_METRIC));
    // Created after the settings: SPIDERPOOL_LOG_LEVEL must be applied before the first logger.
    Logger log = LoggerFactory.getLogger(ControllerMain.class);
    log.info("spiderpool-controller starting with{}", settings.describe());
    Vertx vertx = NativeVertx.create();
    HealthServer.Probes probes = new HealthServer.Probes(
        Future::succeededFuture, Future::succeededFuture, Future::succeededFuture);
    HealthServer.start(vertx, "0.0.0.0", settings.get(ControllerSettings.HEALTH_PORT), probes)
        .onSuccess(server -> log.info("probes on :{}", server.actualPort()))
        .onFailure(e -> {
          log.error("cannot serve probes on :{}: {}", settings.get(ControllerSettings.HEALTH_PORT), e.getMessage());
          vertx.close().onComplete(x -> System.exit(1));
        });
  }
}
