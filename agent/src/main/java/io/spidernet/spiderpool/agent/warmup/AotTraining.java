package io.spidernet.spiderpool.agent.warmup;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.spidernet.spiderpool.agent.config.AgentConfig;
import io.spidernet.spiderpool.common.http.NativeVertx;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * {@code spiderpool-agent aot-training}: the training run {@code scripts/image-aot.sh} makes inside the
 * agent image when its Java runtime has an AOT cache (JDK 25): the configuration, Vert.x on its native
 * transport, and both warm-ups (the hot paths, the API client's calls against an in-process echo
 * server), so the classes a start and the first requests load are in the cache. Touches no API
 * server; blocking, on the main thread of its own process.
 */
public final class AotTraining {
  private AotTraining() {}

  public static void main(String[] args) {
    AgentConfig.load(Path.of("/nonexistent/conf.yml"));
    Vertx vertx = NativeVertx.create();
    Warmup.run(new KubernetesSerialization(), 1500);
    ClientWarmup.run(vertx, 1000);
    vertx.close().toCompletionStage().toCompletableFuture().join();
    System.exit(0);
  }
}
