package io.spidernet.spiderpool.common.http;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates a process's one Vert.x instance on Netty's epoll transport, which Unix sockets need. */
public final class NativeVertx {
  private static final Logger LOG = LoggerFactory.getLogger(NativeVertx.class);

  private NativeVertx() {}

  /** Epoll when available; otherwise NIO with a warning (Unix domain sockets then do not work). */
  public static Vertx create() {
    Vertx vertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
    if (vertx.isNativeTransportEnabled()) {
      LOG.info("Vert.x runs on the epoll native transport");
    } else {
      LOG.warn("epoll native transport unavailable, falling back to NIO: {}",
          String.valueOf(vertx.unavailableNativeTransportCause()));
    }
    return vertx;
  }
}
