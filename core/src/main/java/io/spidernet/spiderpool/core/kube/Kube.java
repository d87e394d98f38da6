package io.spidernet.spiderpool.core.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spidernet.spiderpool.common.http.KubeHttpClientFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A process's access to the API server. fabric8's DSL blocks even on its Vert.x HTTP client, so
 * every call runs on a named worker pool and comes back as a Vert.x {@link Future}: {@link #call}
 * may be invoked from an event loop; {@link #client()} only from code already on the worker pool.
 *
 * <p>Every call has a deadline: a connection not established within {@link #CONNECT_TIMEOUT} (a
 * black-holed server drops the SYN) or an answer not received within {@link #REQUEST_TIMEOUT}
 * fails the attempt, with {@link #REQUEST_RETRIES} quick retries instead of fabric8's ten (about
 * 100 s); and whatever fabric8 does, the caller of {@link #call} learns within
 * {@link #CALL_DEADLINE} that the server did not answer, named with the reason (the worker thread
 * is freed by fabric8's own timeouts later). Watches are not subject to these timeouts.
 */
public final class Kube implements AutoCloseable {
  public static final int REQUEST_RETRIES = 2;
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration CALL_DEADLINE = Duration.ofSeconds(6);

  private final KubernetesClient client;
  private final WorkerExecutor worker;
  private final String server;

  private Kube(KubernetesClient client, WorkerExecutor worker) {
    this.client = client;
    this.worker = worker;
    this.server = client.getMasterUrl().toString();
  }

  /**
   * Connects with the in-cluster or KUBECONFIG configuration, sharing {@code vertx} for HTTP; blocking
   * calls run on the worker pool {@code poolName} of {@code workers} threads. Does not contact the
   * server. Any thread.
   */
  public static Kube connect(Vertx vertx, String poolName, int workers) {
    Config config = Config.autoConfigure(null);
    config.setRequestRetryBackoffLimit(REQUEST_RETRIES);
    config.setConnectionTimeout((int) CONNECT_TIMEOUT.toMillis());
    config.setRequestTimeout((int) REQUEST_TIMEOUT.toMillis());
    KubernetesClient client = new KubernetesClientBuilder()
        .withHttpClientFactory(new KubeHttpClientFactory(vertx))
        .withConfig(config)
        .build();
    return new Kube(client, vertx.createSharedWorkerExecutor(poolName, workers));
  }

  /**
   * Runs blocking fabric8 code on the worker pool; unordered, so calls run in parallel. A failure to
   * reach the API server comes back naming the server and the reason. The future completes on the
   * worker thread: a caller confined to a context hops back itself. Any thread.
   */
  public <T> Future<T> call(Callable<T> blocking) {
    return callUnbounded(blocking)
        .timeout(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
        .recover(e -> Future.failedFuture(e instanceof TimeoutException ? Unreachable.noAnswer(server, CALL_DEADLINE) : e));
  }

  /**
   * As {@link #call}, without the call deadline: for work that may legitimately take long (an
   * informer's first list of a large cluster).
   */
  public <T> Future<T> callUnbounded(Callable<T> blocking) {
    return worker.executeBlocking(blocking, false)
        .recover(e -> Future.failedFuture(Unreachable.explain(e, server)));
  }

  /** The fabric8 client; only for code already on the worker pool (its DSL blocks). */
  public KubernetesClient client() {
    return client;
  }

  /** Whether {@code e} is the API server's 409: someone wrote the object since it was read. */
  public static boolean isConflict(Throwable e) {
    return e instanceof KubernetesClientException k && k.getCode() == 409;
  }

  @Override
  public void close() {
    worker.close();
    client.close();
  }
}
