package io.spidernet.spiderpool.common.http;

import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fabric8's Vert.x 5 HTTP client on the process's Vert.x instance, with TLS done by BoringSSL
 * (netty-tcnative) instead of the JDK. The processes run C1-only to stay small, and without C2 the
 * JDK's AES-GCM and RSA run as plain Java: in a burst of pods they were the agent's largest CPU
 * cost (decrypting the API server's watch streams and requests). Falls back to the JDK's TLS, with
 * a warning, where the native library cannot load.
 */
public final class KubeHttpClientFactory extends Vertx5HttpClientFactory {
  private static final Logger LOG = LoggerFactory.getLogger(KubeHttpClientFactory.class);
  private final boolean openSsl;

  public KubeHttpClientFactory(Vertx vertx) {
    super(vertx);
    openSsl = OpenSSLEngineOptions.isAvailable();
    if (!openSsl) {
      LOG.warn("BoringSSL (netty-tcnative) is unavailable; the Kubernetes client uses the JDK's TLS");
    }
  }

  @Override
  protected void additionalConfig(WebClientOptions options, WebSocketClientOptions webSockets, PoolOptions pool) {
    if (openSsl) {
      options.setSslEngineOptions(new OpenSSLEngineOptions());
      webSockets.setSslEngineOptions(new OpenSSLEngineOptions());
    }
  }
}
