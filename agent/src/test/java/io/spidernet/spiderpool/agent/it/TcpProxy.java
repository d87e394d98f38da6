package io.spidernet.spiderpool.agent.it;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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

  private TcpProxy(Vertx vertx, int target) {
    this.vertx = vertx;
    this.target = target;
    this.client = vertx.createNetClient();
  }

  /** Listens on a free loopback port. */
  public static TcpProxy start(Vertx vertx, int target) throws Exception {
    TcpProxy proxy = new TcpProxy(vertx, target);
    proxy.listen(0);
    return proxy;
  }

  public int port() {
    return port;
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
      downstream.pipeTo(upstream);
      upstream.pipeTo(downstream);
    });
  }

  @Override
  public void close() throws Exception {
    cut();
    await(client.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
