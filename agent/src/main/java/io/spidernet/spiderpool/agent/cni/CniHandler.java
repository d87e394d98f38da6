package io.spidernet.spiderpool.agent.cni;

import io.spidernet.spiderpool.agent.ipam.Allocator;
import io.spidernet.spiderpool.agent.ipam.CandidateRules;
import io.spidernet.spiderpool.agent.ipam.NicDetails;
import io.spidernet.spiderpool.agent.ipam.PodResolver;
import io.spidernet.spiderpool.agent.ipam.Releaser;
import io.spidernet.spiderpool.agent.kube.AgentCaches;
import io.spidernet.spiderpool.core.IpamException;
import io.spidernet.spiderpool.core.endpoint.EndpointView;
import io.spidernet.spiderpool.core.endpoint.Endpoints;
import io.spidernet.spiderpool.core.ippool.PoolWriters;
import io.spidernet.spiderpool.core.pod.PodRules;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/cni}: a whole plugin invocation (environment and stdin) in, the exact stdout and
 * exit code out, so the native plugin on the host only forwards. VERSION, ADD, DEL, CHECK (0.4.0+),
 * STATUS and GC (1.1.0). Callable from an event loop.
 */
public final class CniHandler {
  private static final Logger LOG = LoggerFactory.getLogger(CniHandler.class);

  private final Allocator allocator;
  private final Releaser releaser;
  private final Endpoints endpoints;
  private final AgentCaches caches;
  private final PoolWriters writers;
  private final PodResolver pods;
  private final String node;
  private final Duration deadline;

  public CniHandler(Allocator allocator, Releaser releaser, Endpoints endpoints, AgentCaches caches,
      PoolWriters writers, PodResolver pods, String node, Duration deadline) {
    this.allocator = allocator;
    this.releaser = releaser;
    this.endpoints = endpoints;
    this.caches = caches;
    this.writers = writers;
    this.pods = pods;
    this.node = node;
    this.deadline = deadline;
  }

  /** What the plugin prints and its exit code. */
  public record Outcome(int exitCode, String stdout) {}

  /**
   * Runs one invocation; {@code requestId} names it in every log line about it (the agent's log
   * backend prints no MDC, so the ID is part of the message).
   */
  public Future<Outcome> handle(Map<String, String> env, byte[] stdin, String requestId) {
    CniCall call;
    try {
      call = CniCall.parse(env, stdin);
    } catch (CniError e) {
      return Future.succeededFuture(failure(CniCall.versionOf(stdin), e));
    }
    Future<Outcome> outcome;
    try {
      outcome = switch (call.command()) {
        case "VERSION" -> Future.succeededFuture(new Outcome(0, CniResults.version(call.cniVersion()).toString()));
        case "ADD" -> add(call, requestId);
        case "DEL" -> del(call);
        case "CHECK" -> check(call);
        case "STATUS" -> status(call);
        default -> gc(call);
      };
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    return outcome.recover(e -> {
      CniError error = asCniError(e);
      if (!call.command().equals("STATUS")) {
        LOG.warn("[{}] CNI {} of pod {}/{} {} container {} interface {} failed with code {}: {}", requestId,
            call.command(), call.podArg("K8S_POD_NAMESPACE", false), call.podArg("K8S_POD_NAME", false),
            call.podArg("K8S_POD_UID", false), call.containerId(), call.ifName(), error.code(), error.getMessage());
      }
      return Future.succeededFuture(failure(call.cniVersion(), error));
    });
  }

  private Future<Outcome> add(CniCall call, String requestId) {
    String ns = call.podArg("K8S_POD_NAMESPACE", true);
    String name = call.podArg("K8S_POD_NAME", true);
    String uid = call.podArg("K8S_POD_UID", true);
    // Multus puts the device plugin's PCI address (an SR-IOV VF) into the configuration as deviceID.
    var cni = new CandidateRules.CniInputs(call.ifName(), orEmpty(call.ipam().defaultIPv4IPPool()),
        orEmpty(call.ipam().defaultIPv6IPPool()), call.ipam().cleanGateway(), call.ipam().matchMasterSubnet(),
        call.stdin().path("deviceID").asText(null));
    return allocator.allocate(new Allocator.Request(ns, name, uid, call.containerId(), cni, requestId), deadline)
        .map(allocation -> new Outcome(0, CniResults.add(call.cniVersion(), call.ifName(), allocation.nics(),
            call.ipam().cleanGateway(), call.stdin().path("dns")).toString()));
  }

  private Future<Outcome> del(CniCall call) {
    String ns = call.podArg("K8S_POD_NAMESPACE", false);
    String name = call.podArg("K8S_POD_NAME", false);
    if (ns.isEmpty() || name.isEmpty()) {
      return Future.succeededFuture(new Outcome(0, "")); // nothing identifies a pod: nothing of ours
    }
    return releaser.release(ns, name, call.podArg("K8S_POD_UID", false)).map(v -> new Outcome(0, ""));
  }

  /**
   * CHECK: the pod incarnation's endpoint exists, holds this interface, and the pools record each
   * of its IPs for that incarnation (an endpoint alone may be ahead of its pool).
   */
  private Future<Outcome> check(CniCall call) {
    String ns = call.podArg("K8S_POD_NAMESPACE", true);
    String name = call.podArg("K8S_POD_NAME", true);
    String uid = call.podArg("K8S_POD_UID", false);
    return endpoints.get(ns, name).map(se -> {
      String seUid = EndpointView.uid(se);
      var nic = EndpointView.nics(se).stream().filter(d -> call.ifName().equals(d.nic)).findFirst().orElse(null);
      if (se == null || seUid == null || (!uid.isEmpty() && !uid.equals(seUid)) || nic == null) {
        throw new CniError(CniError.RESERVATION_MISSING, "no IP reservation for interface " + call.ifName() + " of pod "
            + ns + "/" + name + " (SpiderEndpoint missing or of another pod UID)");
      }
      for (var ips : NicDetails.ipsByPool(List.of(nic)).entrySet()) {
        for (String ip : ips.getValue()) {
          if (!writers.holds(ips.getKey(), ip, seUid)) {
            throw new CniError(CniError.RESERVATION_MISSING, "no IP reservation for interface " + call.ifName()
                + " of pod " + ns + "/" + name + ": IPPool " + ips.getKey() + " does not record " + ip + " for pod UID " + seUid);
          }
        }
      }
      return new Outcome(0, "");
    });
  }

  /** STATUS: ready when the caches are synced and a pool the configuration names (or a default pool) can serve. */
  private Future<Outcome> status(CniCall call) {
    if (!caches.synced()) {
      return Future.failedFuture(new CniError(CniError.PLUGIN_NOT_AVAILABLE,
          "spiderpool-agent is not ready: its Kubernetes caches are not synced"));
    }
    List<String> named = new java.util.ArrayList<>(orEmpty(call.ipam().defaultIPv4IPPool()));
    named.addAll(orEmpty(call.ipam().defaultIPv6IPPool()));
    List<SpiderIPPool> candidates = caches.pools().stream()
        .filter(p -> named.isEmpty() ? Boolean.TRUE.equals(p.getSpec().defaultPool) : named.contains(p.getMetadata().getName()))
        .toList();
    boolean serves = candidates.stream().anyMatch(p -> p.getMetadata().getDeletionTimestamp() == null
        && !Boolean.TRUE.equals(p.getSpec().disable));
    if (!serves && !(named.isEmpty() && candidates.isEmpty())) {
      return Future.failedFuture(new CniError(CniError.PLUGIN_NOT_AVAILABLE, "no candidate IPPool can serve: " + named));
    }
    return Future.succeededFuture(new Outcome(0, ""));
  }

  /**
   * GC (1.1.0): releases this node's attachments the runtime no longer lists in
   * {@code cni.dev/valid-attachments} (or the older {@code cni.dev/attachments}). Conservative: only
   * endpoints that recorded their sandbox's container ID are considered, a listed attachment is never
   * touched, and an endpoint whose pod is alive with the same UID is kept whatever the list says.
   */
  private Future<Outcome> gc(CniCall call) {
    java.util.Set<String> valid = new java.util.HashSet<>();
    for (String key : List.of("cni.dev/valid-attachments", "cni.dev/attachments")) {
      for (tools.jackson.databind.JsonNode a : call.stdin().path(key)) {
        valid.add(a.path("containerID").asString("") + "/" + a.path("ifname").asString(""));
      }
    }
    return endpoints.onNode(node).compose(all -> {
      List<Future<?>> releases = new java.util.ArrayList<>();
      for (var se : all) {
        String cid = Endpoints.containerIdOf(se);
        String uid = EndpointView.uid(se);
        if (cid == null || uid == null || EndpointView.nics(se).stream().anyMatch(d -> valid.contains(cid + "/" + d.nic))) {
          continue;
        }
        String ns = se.getMetadata().getNamespace();
        String name = se.getMetadata().getName();
        releases.add(pods.fresh(ns, name).compose(pod -> {
          if (pod != null && PodRules.alive(pod) && uid.equals(pod.getMetadata().getUid())) {
            return Future.succeededFuture();
          }
          LOG.info("CNI GC: releasing pod {}/{} {} (sandbox {} is not a valid attachment)", ns, name, uid, cid);
          return releaser.releaseNow(ns, name, uid);
        }));
      }
      return Future.all(releases).map(v -> new Outcome(0, ""));
    });
  }

  /** The CNI error for a failure: the code comes from the failure's reason, never from its message. */
  static CniError asCniError(Throwable e) {
    if (e instanceof CniError c) {
      return c;
    }
    String m = IpamException.messageOf(e);
    if (!(e instanceof IpamException)) {
      return new CniError(CniError.TRY_AGAIN_LATER, "spiderpool-agent could not complete the request: " + m);
    }
    int code = switch (((IpamException) e).reason()) {
      case NO_POOL_AVAILABLE -> CniError.NO_POOL_AVAILABLE;
      case POOL_EXHAUSTED -> CniError.POOL_EXHAUSTED;
      case BAD_INPUT -> CniError.INVALID_NETWORK_CONFIG;
      case REFUSED -> CniError.ALLOCATION_REFUSED;
      case RESERVATION_MISSING -> CniError.RESERVATION_MISSING;
      case NOT_READY, API_UNREACHABLE, API_ERROR, CONFLICT_RETRIES_EXHAUSTED, DEADLINE, INTERNAL -> CniError.TRY_AGAIN_LATER;
    };
    return new CniError(code, m);
  }

  private static Outcome failure(String cniVersion, CniError e) {
    return new Outcome(e.code(), CniResults.error(cniVersion, e).toString());
  }

  private static List<String> orEmpty(List<String> l) {
    return l == null ? List.of() : l;
  }
}
