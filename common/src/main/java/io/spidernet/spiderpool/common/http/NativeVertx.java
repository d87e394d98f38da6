package io.spidernet.spiderpool.common.http;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a process's one Vert.x instance on Netty's epoll transport, which Unix sockets need, with
 * half-closed connections answered ({@link HalfClosure}) and Vert.x's own DNS resolver off: the API
 * server's address comes from the environment, and Netty's resolver would bind UDP sockets on all
 * addresses that nothing documents.
 */
public final class NativeVertx {
  private static final Logger LOG = LoggerFactory.getLogger(NativeVertx.class);

  private NativeVertx() {}

  /** Epoll when available; otherwise NIO with a warning (Unix domain sockets then do not work). */
  public static Vertx create() {
    System.setProperty("vertx.disableDnsResolver", "true");
    io.vertx.core.transport.Transport epoll = io.vertx.core.transport.Transport.EPOLL;
    Vertx vertx = epoll.available()
        ? Vertx.builder().with(new VertxOptions()).withTransport(HalfClosure.of(epoll)).build()
        : Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
    if (vertx.isNativeTransportEnabled()) {
      LOG.info("Vert.x runs on the epoll native transport");
    } else {
      LOG.warn("epoll native transport unavailable, falling back to NIO: {}",
          String.valueOf(vertx.unavailableNativeTransportCause()));
    }
    return vertx;
  }
}
