package io.spidernet.spiderpool.agent.server;

import io.spidernet.spiderpool.agent.cni.CniHandler;
import io.spidernet.spiderpool.agent.config.AgentConfig;
import io.spidernet.spiderpool.agent.coordinator.CoordinatorConfigs;
import io.spidernet.spiderpool.agent.ipam.Allocator;
import io.spidernet.spiderpool.agent.ipam.CandidateRules;
import io.spidernet.spiderpool.agent.ipam.Releaser;
import io.spidernet.spiderpool.agent.kube.AgentCaches;
import io.spidernet.spiderpool.common.json.BodyProblems;
import io.spidernet.spiderpool.core.IpamException;
import io.spidernet.spiderpool.core.endpoint.EndpointView;
import io.spidernet.spiderpool.core.endpoint.Endpoints;
import io.spidernet.spiderpool.core.kube.Kube;
import io.spidernet.spiderpool.api.v2beta1.IPAllocationDetail;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Spiderpool's agent API ({@code /v1}) over HTTP on a Unix domain socket: {@code POST/DELETE
 * /ipam/ip}, {@code DELETE /ipam/ips}, {@code GET /ipam/healthy}, {@code GET /workloadendpoint},
 * {@code GET /coordinator/config}; and {@code POST /cni}, a whole CNI plugin invocation.
 * Errors are a JSON string, as Spiderpool's {@code Error} model; on the paths go-openapi validates
 * upstream ({@code /ipam/ip}), a missing required field is its 422 object
 * ({@code {"code":602,"message":"podUID in body is required"}}) and an unreadable body its 400 object,
 * so that Spiderpool's generated client shows our message. As upstream, required strings may be
 * empty: an ADD without a pod UID is for the live pod. Bodies are capped at 1 MiB. Handlers run on
 * the event loop and never block.
 */
public final class IpamServer {
  private static final Logger LOG = LoggerFactory.getLogger(IpamServer.class);
  static final JsonMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final int BODY_LIMIT = 1024 * 1024;
  private static final int MAX_LINE = 8192;
  private static final int MAX_HEADERS = 16384;

  /** Upstream's prefix of an ADD's failure, which its users grep for. */
  static final String ADD_FAILURE_PREFIX = "failed to allocate IP addresses in standard mode: ";
  private final AgentConfig config;
  private final AgentCaches caches;
  private final Allocator allocator;
  private final Releaser releaser;
  private final Endpoints endpoints;
  private final Duration deadline;
  private final boolean releaseConflictIPs;
  private final CoordinatorConfigs coordinator;
  private final CniHandler cni;
  private HttpServer server;
  private SocketLock lock;

  public IpamServer(AgentConfig config, Kube kube, AgentCaches caches, Allocator allocator, Releaser releaser,
      Endpoints endpoints, CniHandler cni, Duration deadline, boolean releaseConflictIPs) {
    this.config = config;
    this.caches = caches;
    this.allocator = allocator;
    this.releaser = releaser;
    this.endpoints = endpoints;
    this.deadline = deadline;
    this.releaseConflictIPs = releaseConflictIPs;
    this.coordinator = new CoordinatorConfigs(kube);
    this.cni = cni;
  }

  /**
   * Listens on the socket: parent directory 0700, the socket's lock taken (a second agent on the same
   * path is refused), a stale socket file removed, the socket 0600. Connections are guarded by
   * {@link SocketGuard}; requests HTTP cannot parse get a JSON error. Blocking file work runs on a
   * worker thread.
   */
  public Future<HttpServer> listen(Vertx vertx, Path socket) {
    return vertx.executeBlocking(() -> {
      Path dir = socket.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      SocketLock taken = SocketLock.take(socket);
      try {
        Files.deleteIfExists(socket);
      } catch (IOException e) {
        taken.close();
        throw e;
      }
      return taken;
    }, false).recover(e -> Future.failedFuture(e instanceof IllegalStateException ? e
        : new IllegalStateException("cannot prepare the socket " + socket + ": " + e.getMessage(), e)))
        .compose(taken -> {
          lock = taken;
          SocketGuard guard = new SocketGuard(vertx);
          // HTTP/1.1 only, as Spiderpool's API: without h2c sniffing a connection exists (and is
          // guarded) from its first moment, not from its first bytes.
          HttpServer http = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)
              .setMaxInitialLineLength(MAX_LINE).setMaxHeaderSize(MAX_HEADERS))
              .invalidRequestHandler(IpamServer::invalidRequest);
          guard.install(http);
          return http.requestHandler(router(vertx, guard)).listen(SocketAddress.domainSocketAddress(socket.toString()));
        })
        .compose(server -> {
          this.server = server;
          try {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
          } catch (IOException e) {
            return close().transform(x -> Future.failedFuture(e));
          }
          return Future.succeededFuture(server);
        })
        .onFailure(e -> {
          if (lock != null) {
            lock.close();
          }
        });
  }

  /** Stops listening and gives up the socket's lock. */
  public Future<Void> close() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.andThen(x -> {
      if (lock != null) {
        lock.close();
      }
    });
  }

  /**
   * A request HTTP could not parse (Vert.x answers those before any route): the status Vert.x would
   * choose, with a JSON error string saying why, and the connection closed.
   */
  private static void invalidRequest(io.vertx.core.http.HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = cause instanceof io.netty.handler.codec.http.TooLongHttpLineException ? 414
        : cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException ? 431 : 400;
    String why = status == 414 ? "its request line is over " + MAX_LINE + " bytes"
        : status == 431 ? "its headers are over " + MAX_HEADERS + " bytes" : "it is not valid HTTP/1.1";
    request.response().setStatusCode(status).putHeader("content-type", "application/json")
        .putHeader("connection", "close")
        .end(JSON.writeValueAsString("the request cannot be read: " + why))
        .onComplete(x -> request.connection().close());
  }

  private Router router(Vertx vertx, SocketGuard guard) {
    Router router = Router.router(vertx);
    router.route().handler(guard::requestStarted);
    router.route().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    router.get("/v1/ipam/healthy").handler(ctx -> {
      if (caches.synced()) {
        ctx.response().setStatusCode(200).end();
      } else {
        error(ctx, 500, "the agent's Kubernetes caches are not synced yet");
      }
    });
    router.post("/v1/ipam/ip").handler(this::allocate);
    router.delete("/v1/ipam/ip").handler(this::release);
    router.post("/v1/ipam/ips").handler(ctx -> ctx.response().setStatusCode(200).end());
    router.delete("/v1/ipam/ips").handler(this::releaseBatch);
    router.get("/v1/workloadendpoint").handler(this::workloadEndpoint);
    router.get("/v1/coordinator/config").handler(this::coordinatorConfig);
    router.post("/v1/cni").handler(this::cniCall);
    // Every answer is JSON in Spiderpool's error shape, also for paths and methods it does not serve.
    router.errorHandler(404, ctx -> error(ctx, 404, "no such path: " + ctx.request().method() + " "
        + printable(ctx.request().path()) + "; the agent serves /v1/ipam/ip, /v1/ipam/ips, /v1/ipam/healthy, "
        + "/v1/workloadendpoint, /v1/coordinator/config and /v1/cni"));
    router.errorHandler(405, ctx -> error(ctx, 405, "method " + ctx.request().method() + " is not allowed on "
        + printable(ctx.request().path())));
    // Whatever escapes a handler still gets Spiderpool's error shape, naming the request and the cause.
    router.route().failureHandler(ctx -> {
      Throwable e = ctx.failure();
      if (e != null && !ctx.request().isEnded()) {
        // The body broke off or its framing is wrong (a bad chunk): the request's fault, not ours.
        LOG.debug("{} {}: unreadable request body: {}", ctx.request().method(), printable(ctx.request().path()), e.toString());
        ctx.response().putHeader("connection", "close");
        error(ctx, 400, ctx.request().method() + " " + printable(ctx.request().path())
            + " failed: the request body cannot be read (broken chunked encoding or connection)");
        return;
      }
      int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      if (e != null) {
        LOG.error("{} {} failed", ctx.request().method(), printable(ctx.request().path()), e);
      }
      String why = status == 413 ? "the request body is over the limit of " + BODY_LIMIT + " bytes"
          : e == null ? "HTTP " + status : IpamException.messageOf(e);
      error(ctx, status, ctx.request().method() + " " + printable(ctx.request().path()) + " failed: " + why);
    });
    return router;
  }

  private void allocate(RoutingContext ctx) {
    AgentApi.IpamAddArgs args = validatedBody(ctx, AgentApi.IpamAddArgs.class);
    if (args == null) {
      return;
    }
    String missing = missing("containerID", args.containerID(), "ifName", args.ifName(), "netNamespace",
        args.netNamespace(), "podNamespace", args.podNamespace(), "podName", args.podName(), "podUID", args.podUID());
    if (missing != null) {
      openApiError(ctx, 422, 602, missing + " in body is required");
      return;
    }
    String requestId = RequestIds.of(ctx.request().getHeader("X-Request-ID"));
    // Spiderpool's API carries no deviceID: a matchMasterSubnet request fails naming what is missing.
    var cni = new CandidateRules.CniInputs(args.ifName(), orEmpty(args.defaultIPv4IPPool()),
        orEmpty(args.defaultIPv6IPPool()), args.cleanGateway(), args.matchMasterSubnet(), null);
    allocator.allocate(new Allocator.Request(args.podNamespace(), args.podName(), args.podUID(), args.containerID(), cni,
            requestId), deadline)
        .onSuccess(allocation -> json(ctx, 200, response(allocation)))
        .onFailure(e -> {
          LOG.warn("[{}] ADD of pod {}/{} {} container {} interface {} failed: {}", requestId, args.podNamespace(),
              args.podName(), args.podUID(), args.containerID(), args.ifName(), e.getMessage(), internal(e));
          error(ctx, 500, ADD_FAILURE_PREFIX + IpamException.messageOf(e));
        });
  }

  private void release(RoutingContext ctx) {
    AgentApi.IpamDelArgs args = validatedBody(ctx, AgentApi.IpamDelArgs.class);
    if (args == null) {
      return;
    }
    String missing = missing("containerID", args.containerID(), "ifName", args.ifName(), "podNamespace",
        args.podNamespace(), "podName", args.podName(), "podUID", args.podUID());
    if (missing != null) {
      openApiError(ctx, 422, 602, missing + " in body is required");
      return;
    }
    String requestId = RequestIds.of(ctx.request().getHeader("X-Request-ID"));
    if (args.podNamespace().isEmpty() || args.podName().isEmpty()) {
      ctx.response().setStatusCode(200).end(); // nothing identifies a pod: nothing of ours
      return;
    }
    releaser.release(args.podNamespace(), args.podName(), args.podUID())
        .onSuccess(v -> ctx.response().setStatusCode(200).end())
        .onFailure(e -> {
          LOG.warn("[{}] DEL of pod {}/{} {} container {} interface {} failed: {}", requestId, args.podNamespace(),
              args.podName(), args.podUID(), args.containerID(), args.ifName(), e.getMessage(), internal(e));
          error(ctx, 500, IpamException.messageOf(e));
        });
  }

  private void releaseBatch(RoutingContext ctx) {
    AgentApi.IpamBatchDelArgs args = body(ctx, AgentApi.IpamBatchDelArgs.class);
    if (args == null) {
      return;
    }
    if (args.isReleaseConflictIPs() && !releaseConflictIPs) {
      error(ctx, 521, "forbid releasing IPs for stateless workload: SPIDERPOOL_ENABLED_RELEASE_CONFLICT_IPS is off");
      return;
    }
    endpoints.get(args.podNamespace(), args.podName())
        .compose(se -> {
          if (se != null && config.enableStatefulSet() && "StatefulSet".equals(EndpointView.ownerType(se))) {
            return Future.failedFuture(new BatchRefused("forbid releasing IPs for stateful workload "
                + args.podNamespace() + "/" + args.podName()));
          }
          String uid = args.podUID() != null && !args.podUID().isEmpty() ? args.podUID()
              : EndpointView.uid(se) == null ? "" : EndpointView.uid(se);
          return releaser.releaseNow(args.podNamespace(), args.podName(), uid);
        })
        .onSuccess(v -> ctx.response().setStatusCode(200).end())
        .onFailure(e -> error(ctx, e instanceof BatchRefused ? 522 : 500,
            e instanceof BatchRefused ? e.getMessage() : IpamException.messageOf(e)));
  }

  private static final class BatchRefused extends RuntimeException {
    BatchRefused(String message) {
      super(message);
    }
  }

  private void workloadEndpoint(RoutingContext ctx) {
    String ns = ctx.queryParams().get("podNamespace");
    String name = ctx.queryParams().get("podName");
    if (ns == null || ns.isEmpty() || name == null || name.isEmpty()) {
      error(ctx, 400, "wrong input, query parameters podNamespace and podName are required");
      return;
    }
    endpoints.get(ns, name)
        .onSuccess(se -> {
          if (se == null) {
            error(ctx, 404, "SpiderEndpoint " + ns + "/" + name + " not found");
          } else {
            json(ctx, 200, endpoint(se));
          }
        })
        .onFailure(e -> error(ctx, IpamException.reasonOf(e) == IpamException.Reason.BAD_INPUT ? 400 : 500,
            IpamException.messageOf(e)));
  }

  /** A plugin invocation: {@code {"env":{CNI_*...},"stdin":"<base64>"}} to {@code {"exitCode":N,"stdout":"..."}}. */
  private void cniCall(RoutingContext ctx) {
    CniInvocation call = body(ctx, CniInvocation.class);
    if (call == null) {
      return;
    }
    byte[] stdin;
    try {
      stdin = call.stdin() == null ? new byte[0] : java.util.Base64.getDecoder().decode(call.stdin());
    } catch (IllegalArgumentException e) {
      error(ctx, 422, "wrong input, stdin is not base64");
      return;
    }
    cni.handle(call.env() == null ? java.util.Map.of() : call.env(), stdin,
            RequestIds.of(ctx.request().getHeader("X-Request-ID")))
        .onSuccess(outcome -> json(ctx, 200, new CniAnswer(outcome.exitCode(), outcome.stdout())))
        .onFailure(e -> error(ctx, 500, IpamException.messageOf(e)));
  }

  record CniInvocation(@com.fasterxml.jackson.annotation.JsonProperty("env") java.util.Map<String, String> env,
      @com.fasterxml.jackson.annotation.JsonProperty("stdin") String stdin) {}

  record CniAnswer(@com.fasterxml.jackson.annotation.JsonProperty("exitCode") int exitCode,
      @com.fasterxml.jackson.annotation.JsonProperty("stdout") String stdout) {}

  private void coordinatorConfig(RoutingContext ctx) {
    // Spiderpool sends GetCoordinatorArgs as a GET body; an empty body means no pod-level override.
    AgentApi.GetCoordinatorArgs args = ctx.body() == null || ctx.body().length() <= 0
        ? new AgentApi.GetCoordinatorArgs(null, null) : body(ctx, AgentApi.GetCoordinatorArgs.class);
    if (args == null) {
      return;
    }
    coordinator.of(args.podNamespace(), args.podName())
        .onSuccess(config -> json(ctx, 200, config))
        .onFailure(e -> error(ctx, 500, IpamException.messageOf(e)));
  }

  /**
   * The ADD response: every NIC allocated so far, its default route (unless cleanGateway) and routes.
   * The detection flags are the configuration's, but a live migration's target pod is never probed
   * for IP conflicts: the migration's source still answers for its IPs.
   */
  AgentApi.IpamAddResponse response(Allocator.Allocation allocation) {
    List<AgentApi.IpConfig> ips = new ArrayList<>();
    List<AgentApi.Route> routes = new ArrayList<>();
    boolean conflictDetection = config.enableIPConflictDetection() && !allocation.liveMigrationTarget();
    for (IPAllocationDetail d : allocation.nics()) {
      boolean clean = Boolean.TRUE.equals(d.cleanGateway);
      if (d.ipv4 != null) {
        ips.add(new AgentApi.IpConfig(4, d.ipv4, d.ipv4Pool, d.ipv4Gateway, d.nic, d.vlan == null ? 0L : d.vlan, d.mac,
            config.enableGatewayDetection(), conflictDetection));
        if (d.ipv4Gateway != null && !d.ipv4Gateway.isEmpty() && !clean) {
          routes.add(new AgentApi.Route(d.nic, "0.0.0.0/0", d.ipv4Gateway));
        }
      }
      if (d.ipv6 != null) {
        ips.add(new AgentApi.IpConfig(6, d.ipv6, d.ipv6Pool, d.ipv6Gateway, d.nic, d.vlan == null ? 0L : d.vlan, d.mac,
            config.enableGatewayDetection(), conflictDetection));
        if (d.ipv6Gateway != null && !d.ipv6Gateway.isEmpty() && !clean) {
          routes.add(new AgentApi.Route(d.nic, "::/0", d.ipv6Gateway));
        }
      }
      if (d.routes != null) {
        d.routes.forEach(r -> routes.add(new AgentApi.Route(d.nic, r.dst, r.gw)));
      }
    }
    return new AgentApi.IpamAddResponse(ips, routes, null);
  }

  private static AgentApi.WorkloadEndpointStatus endpoint(SpiderEndpoint se) {
    List<AgentApi.InterfaceDetail> nics = new ArrayList<>();
    for (IPAllocationDetail d : EndpointView.nics(se)) {
      nics.add(new AgentApi.InterfaceDetail(d.nic, d.ipv4, d.ipv6, d.mac, d.vlan != null && d.vlan != 0 ? d.vlan : null,
          d.ipv4Pool, d.ipv6Pool, d.ipv4Gateway, d.ipv6Gateway, d.routes));
    }
    return new AgentApi.WorkloadEndpointStatus(se.getMetadata().getNamespace(), se.getMetadata().getName(),
        EndpointView.uid(se), EndpointView.node(se), nics);
  }

  /** The JSON body as {@code type}; null after answering 422 with an error string when it is missing or unreadable. */
  private static <T> T body(RoutingContext ctx, Class<T> type) {
    return body(ctx, type, why -> error(ctx, 422, "wrong input, " + why));
  }

  /**
   * The body on a path go-openapi validates upstream: a missing or unreadable one is its 400 object
   * ({@code {"code":400,"message":...}}).
   */
  private static <T> T validatedBody(RoutingContext ctx, Class<T> type) {
    return body(ctx, type, why -> openApiError(ctx, 400, 400, why));
  }

  private static <T> T body(RoutingContext ctx, Class<T> type, java.util.function.Consumer<String> refuse) {
    if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() == 0) {
      refuse.accept("the request has no JSON body: a " + type.getSimpleName() + " is required");
      return null;
    }
    try {
      return JSON.readValue(ctx.body().buffer().getBytes(), type);
    } catch (JacksonException e) {
      refuse.accept("the body is not a valid " + type.getSimpleName() + ": " + BodyProblems.describe(e));
      return null;
    }
  }

  /** go-openapi's error object, as Spiderpool's generated client decodes it. */
  static void openApiError(RoutingContext ctx, int status, int code, String message) {
    if (!ctx.response().ended()) {
      json(ctx, status, java.util.Map.of("code", code, "message", message));
    }
  }

  /** The first required field that is absent (null); an empty string is present, as go-openapi has it. */
  private static String missing(String... namesAndValues) {
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (namesAndValues[i + 1] == null) {
        return namesAndValues[i];
      }
    }
    return null;
  }

  private static List<String> orEmpty(List<String> l) {
    return l == null ? List.of() : l;
  }

  /** The failure itself when it is a defect (for its stack trace in the log), else null. */
  private static Throwable internal(Throwable e) {
    return IpamException.reasonOf(e) == IpamException.Reason.INTERNAL ? e : null;
  }

  /** {@code s} with control characters and anything past 200 characters left out, for messages and logs. */
  static String printable(String s) {
    if (s == null) {
      return "";
    }
    String clean = s.codePoints().map(c -> c < 0x20 || c == 0x7f ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
  }

  static void json(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(JSON.writeValueAsString(body));
  }

  static void error(RoutingContext ctx, int status, String message) {
    if (!ctx.response().ended()) {
      json(ctx, status, message == null ? "internal error" : message);
    }
  }
}
