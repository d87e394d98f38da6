package io.spidernet.spiderpool.agent.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the socket's connections from outliving their use: at most {@link #MAX_CONNECTIONS} at once
 * (more are closed at once, logged once a minute), a connection must deliver a whole request within
 * {@link #READ_DEADLINE} of opening or of its previous answer (slow or idle clients are closed,
 * whatever trickle keeps them busy), and a client that half-closes after its request is answered,
 * then closed. Each connection's state lives on its event loop; the counter is shared.
 */
final class SocketGuard {
  private static final Logger LOG = LoggerFactory.getLogger(SocketGuard.class);
  static final int MAX_CONNECTIONS = 1024;
  static final Duration READ_DEADLINE = Duration.ofSeconds(10);
  private static final String KEY = SocketGuard.class.getName();

  private final Vertx vertx;
  private final long readDeadlineMillis = READ_DEADLINE.toMillis();
  private final AtomicInteger open = new AtomicInteger();
  private final Map<HttpConnection, Connection> connections = new ConcurrentHashMap<>();
  private volatile long lastRefusalLog;

  SocketGuard(Vertx vertx) {
    this.vertx = vertx;
  }

  /** One connection: its requests in flight, whether its client half-closed, the timer that closes it. */
  private final class Connection {
    final HttpConnection http;
    int inFlight;
    boolean inputShut;
    long timer = -1;

    Connection(HttpConnection http) {
      this.http = http;
      armReadDeadline();
    }

    void armReadDeadline() {
      timer = vertx.setTimer(readDeadlineMillis, t -> {
        LOG.debug("closing a socket connection that sent no whole request within {} ms", readDeadlineMillis);
        http.close();
      });
    }

    void requestStarted(RoutingContext ctx) {
      vertx.cancelTimer(timer);
      inFlight++;
      // The body too must arrive in time (BodyHandler waits for it, and owns the request's handlers).
      long body = vertx.setTimer(readDeadlineMillis, t -> {
        if (!ctx.request().isEnded()) {
          LOG.debug("closing a socket connection whose request body did not arrive within {} ms", readDeadlineMillis);
          http.close();
        }
      });
      ctx.addEndHandler(ar -> {
        vertx.cancelTimer(body);
        inFlight--;
        if (inFlight == 0) {
          if (inputShut) {
            http.close();
          } else {
            armReadDeadline();
          }
        }
      });
    }

    void inputShutdown() {
      inputShut = true;
      if (inFlight == 0) {
        http.close();
      }
    }
  }

  /** Installs the guard's connection accounting on {@code server}; call before it listens. */
  void install(HttpServer server) {
    server.connectionHandler(this::connected);
  }

  private void connected(HttpConnection http) {
    if (open.incrementAndGet() > MAX_CONNECTIONS) {
      open.decrementAndGet();
      long now = System.currentTimeMillis();
      if (now - lastRefusalLog > 60_000) {
        lastRefusalLog = now;
        LOG.warn("the IPAM socket has {} connections open, its limit: closing new ones until some end", MAX_CONNECTIONS);
      }
      http.close();
      return;
    }
    Connection c = new Connection(http);
    connections.put(http, c);
    http.closeHandler(v -> {
      open.decrementAndGet();
      vertx.cancelTimer(c.timer);
      connections.remove(http);
    });
    // Netty closes a connection whose client shuts its output down unless half-closure is allowed
    // (see HalfClosure); the event tells us to answer what is in flight, then close.
    if (http instanceof io.vertx.core.net.impl.ConnectionBase base) {
      base.channel().pipeline().addFirst(KEY, new ChannelInboundHandlerAdapter() {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
          if (evt instanceof ChannelInputShutdownEvent) {
            c.inputShutdown();
          }
          super.userEventTriggered(ctx, evt);
        }
      });
    }
  }

  /** The router's first handler: a request has started on its connection. */
  void requestStarted(RoutingContext ctx) {
    Connection c = connections.get(ctx.request().connection());
    if (c != null) {
      c.requestStarted(ctx);
    }
    ctx.next();
  }
}
