package io.spidernet.spiderpool.agent;

import io.spidernet.spiderpool.common.config.Settings;
import io.spidernet.spiderpool.common.config.Startup;
import io.spidernet.spiderpool.common.http.HealthServer;
import io.spidernet.spiderpool.common.http.NativeVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of {@code spiderpool-agent}, the per-node IPAM agent. */
public final class AgentMain {
  private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);

  private AgentMain() {}

  public static void main(String[] args) {
    Settings settings = Startup.settingsOrExit("spiderpool-agent", AgentSettings.ALL);
    LOG.info("spiderpool-agent starting on node {} with{}", settings.get(AgentSettings.NODE_NAME), settings.describe());
    Vertx vertx = NativeVertx.create();
    HealthServer.Probes probes = new HealthServer.Probes(
        Future::succeededFuture, Future::succeededFuture, Future::succeededFuture);
    HealthServer.start(vertx, "0.0.0.0", settings.get(AgentSettings.HEALTH_PORT), probes)
        .onSuccess(server -> LOG.info("probes on :{}", server.actualPort()))
        .onFailure(e -> {
          LOG.error("cannot serve probes on :{}: {}", settings.get(AgentSettings.HEALTH_PORT), e.getMessage());
          vertx.close().onComplete(x -> System.exit(1));
        });
  }
}
