package io.spidernet.spiderpool.testsupport.kube;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy on loopback in front of a local port, that a test can cut (the port refuses
 * connections and open ones are dropped, as when the API server goes down) and restore on the same
 * port.
 */
public final class TcpProxy implements AutoCloseable {
  private final Vertx vertx;
  private final int target;
  private final NetClient client;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private NetServer server;
  private int port;
  private volatile boolean blackhole;
  private volatile long delayMillis;
  private Path kubeconfig;

  private TcpProxy(Vertx vertx, int target) {
    this.vertx = vertx;
    this.target = target;
    this.client = vertx.createNetClient();
  }

  /** Listens on a free loopback port. */
  private static TcpProxy start(Vertx vertx, int target) throws Exception {
    TcpProxy proxy = new TcpProxy(vertx, target);
    proxy.listen(0);
    return proxy;
  }

  public int port() {
    return port;
  }

  /**
   * A proxy in front of {@code cluster}'s API server, on a Vert.x instance of its own, and a
   * kubeconfig that reaches the server through it (for agents started with {@code KUBECONFIG} set
   * to it). {@link #closeQuietly} stops both.
   */
  public static TcpProxy inFrontOf(LocalCluster cluster) throws Exception {
    Vertx vertx = Vertx.vertx();
    String kubeconfig = Files.readString(cluster.kubeconfig());
    Matcher server = Pattern.compile("server: (https://[^\\s]+)").matcher(kubeconfig);
    if (!server.find()) {
      throw new IllegalStateException("the cluster's kubeconfig " + cluster.kubeconfig() + " names no API server");
    }
    TcpProxy proxy = start(vertx, URI.create(server.group(1)).getPort());
    proxy.kubeconfig = Files.createTempFile("kubeconfig-proxied", "");
    Files.writeString(proxy.kubeconfig, kubeconfig.replace(server.group(1), "https://127.0.0.1:" + proxy.port()));
    return proxy;
  }

  /** The kubeconfig through this proxy ({@link #inFrontOf} only). */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** Refuses new connections and drops the open ones. */
  public void cut() throws Exception {
    await(server.close());
    for (NetSocket s : open) {
      s.close();
    }
  }

  /**
   * Turns the proxy into a black hole, as a server behind a dropping firewall: open connections are
   * dropped, new ones are accepted and whatever they send goes nowhere, no byte ever comes back.
   */
  public void blackhole() {
    blackhole = true;
    for (NetSocket s : open) {
      s.close();
    }
  }

  /**
   * Holds every chunk, in both directions and on open connections too, for {@code millis} after it
   * arrives (order kept): a slow API server or network. 0 forwards at once again.
   */
  public void delay(long millis) {
    delayMillis = millis;
  }

  /** Ends the black hole: new connections are forwarded again. */
  public void heal() {
    blackhole = false;
    for (NetSocket s : open) {
      s.close();
    }
  }

  /** Accepts connections again, on the same port. */
  public void restore() throws Exception {
    listen(port);
  }

  private void listen(int on) throws Exception {
    server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setReuseAddress(true))
        .connectHandler(this::forward);
    port = await(server.listen(on)).actualPort();
  }

  private void forward(NetSocket downstream) {
    open.add(downstream);
    downstream.closeHandler(v -> open.remove(downstream));
    if (blackhole) {
      downstream.handler(bytes -> { });
      return;
    }
    downstream.pause();
    client.connect(target, "127.0.0.1").onComplete(ar -> {
      if (ar.failed()) {
        downstream.close();
        return;
      }
      NetSocket upstream = ar.result();
      open.add(upstream);
      downstream.closeHandler(v -> {
        open.remove(downstream);
        upstream.close();
      });
      upstream.closeHandler(v -> {
        open.remove(upstream);
        downstream.close();
      });
      relay(downstream, upstream);
      relay(upstream, downstream);
      downstream.resume();
    });
  }

  /** Forwards {@code from} to {@code to}, each chunk held for the delay in force when it arrived. */
  private void relay(NetSocket from, NetSocket to) {
    Future<?>[] tail = {Future.succeededFuture()}; // this socket's event loop only
    from.handler(chunk -> {
      long due = System.currentTimeMillis() + delayMillis;
      Promise<Void> written = Promise.promise();
      tail[0].onComplete(previous -> {
        long wait = due - System.currentTimeMillis();
        if (wait <= 0) {
          to.write(chunk);
          written.complete();
        } else {
          vertx.setTimer(wait, t -> {
            to.write(chunk);
            written.complete();
          });
        }
      });
      tail[0] = written.future();
    });
  }

  @Override
  public void close() throws Exception {
    cut();
    await(client.close());
    await(vertx.close());
  }

  /** Closes {@code proxy} if a scenario got as far as starting it. */
  public static void closeQuietly(TcpProxy proxy) throws Exception {
    if (proxy != null) {
      proxy.close();
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
