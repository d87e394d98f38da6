package io.spidernet.spiderpool.controller.it;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.common.config.Settings;
import io.spidernet.spiderpool.common.http.NativeVertx;
import io.spidernet.spiderpool.controller.ControllerApp;
import io.spidernet.spiderpool.controller.ControllerConfig;
import io.spidernet.spiderpool.controller.ControllerSettings;
import io.spidernet.spiderpool.testsupport.RepoDir;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.webhook.rules.WebhookConfig;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A controller started in the test JVM against the local control plane, with the webhook
 * configurations of {@code scripts/lib/local-webhooks.yaml} pointing the real API server at it.
 * {@link #close} stops it and deletes the configurations, so no later test meets a webhook that is
 * gone.
 */
public final class Controllers implements AutoCloseable {
  public static final String CONFIGURATION = "spiderpool-controller";

  private final Vertx vertx;
  private final KubernetesClient client;
  private final Map<String, String> env;
  private final WebhookConfig config;
  private ControllerApp app;
  private boolean closed;

  private Controllers(Vertx vertx, KubernetesClient client, Map<String, String> env, WebhookConfig config) {
    this.vertx = vertx;
    this.client = client;
    this.env = env;
    this.config = config;
  }

  /** Registers the webhooks on a free port and starts a controller serving them; its Secret lives in {@code namespace}. */
  public static Controllers start(LocalCluster cluster, KubernetesClient client, String namespace, Map<String, String> extraEnv,
      WebhookConfig config) throws Exception {
    // KUBECONFIG in extraEnv points the controller elsewhere (through a proxy); the rest are SPIDERPOOL_* settings.
    System.setProperty("kubeconfig", extraEnv.getOrDefault("KUBECONFIG", cluster.kubeconfig().toString()));
    int port = freePort();
    String yaml = Files.readString(RepoDir.resolve("scripts/lib/local-webhooks.yaml")).replace("WEBHOOK_PORT", String.valueOf(port));
    client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).forceConflicts().serverSideApply();
    Map<String, String> env = new LinkedHashMap<>(Map.of(
        "SPIDERPOOL_POD_NAMESPACE", namespace, "SPIDERPOOL_POD_NAME", "spiderpool-controller-0",
        "SPIDERPOOL_HEALTH_PORT", "0", "SPIDERPOOL_WEBHOOK_HOST", "127.0.0.1", "SPIDERPOOL_WEBHOOK_PORT", String.valueOf(port),
        "SPIDERPOOL_WEBHOOK_EXTRA_HOSTS", "127.0.0.1"));
    env.putAll(extraEnv);
    env.remove("KUBECONFIG");
    Controllers c = new Controllers(NativeVertx.create(), client, env, config);
    c.restart();
    return c;
  }

  /** Stops the controller (if running) and starts it again with the same settings. */
  public Controllers restart() throws Exception {
    if (app != null) {
      app.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    Settings settings = Settings.load(ControllerSettings.ALL, env);
    app = ControllerApp.start(vertx, settings, config, ControllerConfig.defaults()).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return this;
  }

  public int port() {
    return app.admission().port();
  }

  public ControllerApp app() {
    return app;
  }

  /** Stops the controller and deletes the configurations; a second call does nothing. */
  @Override
  public void close() throws Exception {
    if (closed) {
      return;
    }
    closed = true;
    client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(CONFIGURATION).delete();
    client.admissionRegistration().v1().validatingWebhookConfigurations().withName(CONFIGURATION).delete();
    if (app != null) {
      app.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
