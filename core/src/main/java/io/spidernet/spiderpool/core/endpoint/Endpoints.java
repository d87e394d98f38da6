package io.spidernet.spiderpool.core.endpoint;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.spidernet.spiderpool.core.kube.Kube;
import io.spidernet.spiderpool.core.kube.KubeNames;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.v2beta1.IPAllocationDetail;
import io.spidernet.spiderpool.api.v2beta1.PodIPAllocation;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.api.v2beta1.WorkloadEndpointStatus;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Reads and writes SpiderEndpoints (spec 1.4), always against the API server. An endpoint has no
 * status subresource: it is written whole with one create or update, carrying the finalizer and,
 * for pods that do not keep their IPs across re-creation, an ownerReference to the pod so that
 * kube-controller-manager collects it after the pod. Callable from an event loop.
 */
public final class Endpoints {
  private static final int MAX_ATTEMPTS = 5;
  private final Kube kube;

  public Endpoints(Kube kube) {
    this.kube = kube;
  }

  /** The endpoint of a pod, or null. */
  public Future<SpiderEndpoint> get(String namespace, String name) {
    return kube.call(() -> kube.client().resources(SpiderEndpoint.class)
        .inNamespace(KubeNames.namespace("endpoint namespace", namespace))
        .withName(KubeNames.object("endpoint name", name)).get());
  }

  /**
   * Creates the endpoint of a pod whose IPs are not kept across re-creation; null when the pod
   * already has one (the caller then goes through {@link #record}).
   */
  public Future<SpiderEndpoint> create(EndpointHolder pod, List<IPAllocationDetail> nics, String containerId) {
    return kube.call(() -> {
      try {
        return kube.client().resource(build(pod, false, nics, containerId)).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          return null;
        }
        throw e;
      }
    });
  }

  /**
   * Records the NICs of this pod incarnation: creates the endpoint, or adds the NICs it lacks to the
   * endpoint of the same UID (and refreshes a NIC's gateway and routes when its addresses are the
   * same but the pool's settings changed). Without a {@code known} read it simply tries to create (the common
   * case costs one call); the conflict says an endpoint exists, which is then read. An endpoint of
   * another incarnation fails with {@link StaleEndpointException} for the caller to release.
   *
   * <p>A NIC entry of the endpoint whose IPs the pools do not record for this incarnation
   * ({@code committed} says no) is replaced by the NIC's entry in {@code nics}: it was written ahead
   * of a pool write that then chose other IPs or never happened.
   *
   * @param keepAfterPod true for StatefulSet pods, whose endpoint must outlive the pod (no ownerReference)
   * @param known the endpoint as the caller just read it, or null when the caller did not read it
   * @param containerId the sandbox of this ADD, recorded for CNI GC (null when unknown)
   * @param committed whether the pools record an entry's IPs for this incarnation (called on the worker pool)
   */
  public Future<SpiderEndpoint> record(EndpointHolder pod, boolean keepAfterPod, List<IPAllocationDetail> nics,
      SpiderEndpoint known, String containerId, Predicate<IPAllocationDetail> committed) {
    return kube.call(() -> {
      var resource = kube.client().resources(SpiderEndpoint.class).inNamespace(pod.namespace()).withName(pod.name());
      SpiderEndpoint existing = known;
      for (int attempt = 1; ; attempt++) {
        try {
          if (existing == null) {
            return kube.client().resource(build(pod, keepAfterPod, nics, containerId)).create();
          }
          if (!EndpointView.isFor(existing, pod.uid())) {
            throw new StaleEndpointException(existing);
          }
          List<IPAllocationDetail> merged = new ArrayList<>();
          boolean changed = false;
          for (IPAllocationDetail held : EndpointView.nics(existing)) {
            IPAllocationDetail now = nics.stream().filter(n -> n.nic.equals(held.nic)).findFirst().orElse(null);
            // Same addresses, other settings (the pool's gateway or routes changed since): refresh them.
            // Other addresses the pools do not record for this incarnation: replace them.
            boolean sameIPs = now != null && Objects.equals(now.ipv4, held.ipv4) && Objects.equals(now.ipv6, held.ipv6);
            boolean refresh = now != null && (sameIPs ? !sameSettings(now, held) : !committed.test(held));
            merged.add(refresh ? now : held);
            changed |= refresh;
          }
          for (IPAllocationDetail nic : nics) {
            if (merged.stream().noneMatch(e -> e.nic.equals(nic.nic))) {
              merged.add(nic);
              changed = true;
            }
          }
          boolean newSandbox = containerId != null && !containerId.isEmpty()
              && !containerId.equals(containerIdOf(existing));
          if (!changed && !newSandbox) {
            return existing;
          }
          existing.getStatus().current.ips = merged; // isFor() above: status and current are there
          if (newSandbox) {
            if (existing.getMetadata().getAnnotations() == null) {
              existing.getMetadata().setAnnotations(new java.util.HashMap<>());
            }
            existing.getMetadata().getAnnotations().put(Constants.ANNOTATION_CONTAINER_ID, containerId);
          }
          return kube.client().resource(existing).update();
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409 || attempt >= MAX_ATTEMPTS) {
            throw e;
          }
          existing = resource.get();
        }
      }
    });
  }

  /** An endpoint left by a former incarnation of the pod (another UID), holding its IPs. */
  public static final class StaleEndpointException extends RuntimeException {
    private final transient SpiderEndpoint endpoint;

    StaleEndpointException(SpiderEndpoint endpoint) {
      super("SpiderEndpoint " + EndpointView.key(endpoint) + " belongs to former pod UID " + EndpointView.uid(endpoint));
      this.endpoint = endpoint;
    }

    public SpiderEndpoint endpoint() {
      return endpoint;
    }
  }

  /** Rewrites an endpoint for a new incarnation of a StatefulSet pod: its UID and node. */
  public Future<SpiderEndpoint> rebind(SpiderEndpoint endpoint, EndpointHolder pod) {
    if (endpoint.getStatus() == null || endpoint.getStatus().current == null) {
      return Future.failedFuture(new IllegalArgumentException("SpiderEndpoint " + EndpointView.key(endpoint) + " records no pod"));
    }
    endpoint.getStatus().current.uid = pod.uid();
    endpoint.getStatus().current.node = pod.node();
    return kube.call(() -> kube.client().resource(endpoint).update());
  }

  /**
   * Removes this project's finalizer, letting the endpoint go (its owner's deletion collects it).
   * A JSON Patch that tests the exact list element, not the resourceVersion: the garbage collector
   * marking the endpoint for deletion meanwhile must not make the release fail.
   */
  public Future<Void> dropFinalizer(SpiderEndpoint endpoint) {
    if (endpoint.getMetadata().getFinalizers() == null || !endpoint.getMetadata().getFinalizers().contains(Constants.FINALIZER)) {
      return Future.succeededFuture();
    }
    String ns = endpoint.getMetadata().getNamespace();
    String name = endpoint.getMetadata().getName();
    return kube.call(() -> {
      var resource = kube.client().resources(SpiderEndpoint.class).inNamespace(ns).withName(name);
      for (int attempt = 1; ; attempt++) {
        // The first attempt trusts the caller's copy; a failed test of the patch re-reads.
        SpiderEndpoint current = attempt == 1 ? endpoint : resource.get();
        List<String> finalizers = current == null ? null : current.getMetadata().getFinalizers();
        int index = finalizers == null ? -1 : finalizers.indexOf(Constants.FINALIZER);
        if (index < 0) {
          return null;
        }
        String patch = "[{\"op\":\"test\",\"path\":\"/metadata/finalizers/" + index + "\",\"value\":\""
            + Constants.FINALIZER + "\"},{\"op\":\"remove\",\"path\":\"/metadata/finalizers/" + index + "\"}]";
        try {
          resource.patch(PatchContext.of(PatchType.JSON), patch);
          return null;
        } catch (KubernetesClientException e) {
          if (e.getCode() == 404) {
            return null;
          }
          if (attempt >= MAX_ATTEMPTS || (e.getCode() != 409 && e.getCode() != 422)) {
            throw e;
          }
        }
      }
    });
  }

  /**
   * Removes from the endpoint {@code namespace/name} of incarnation {@code uid} every NIC entry that
   * names one of {@code ips} (bare addresses); deletes the endpoint when no entry is left. Nothing
   * happens when the endpoint is gone or belongs to another incarnation.
   */
  public Future<Void> dropIPs(String namespace, String name, String uid, java.util.Set<String> ips) {
    return kube.call(() -> {
      var resource = kube.client().resources(SpiderEndpoint.class).inNamespace(namespace).withName(name);
      for (int attempt = 1; ; attempt++) {
        SpiderEndpoint current = resource.get();
        if (current == null || !EndpointView.isFor(current, uid)) {
          return null;
        }
        List<IPAllocationDetail> kept = EndpointView.nics(current).stream()
            .filter(d -> !ips.contains(bare(d.ipv4)) && !ips.contains(bare(d.ipv6))).toList();
        if (kept.size() == EndpointView.nics(current).size()) {
          return null;
        }
        try {
          if (kept.isEmpty()) {
            return current;
          }
          current.getStatus().current.ips = new ArrayList<>(kept);
          kube.client().resource(current).update();
          return null;
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409 || attempt >= MAX_ATTEMPTS) {
            throw e;
          }
        }
      }
    }).compose(empty -> empty == null ? Future.succeededFuture() : delete(empty));
  }

  private static String bare(String cidr) {
    if (cidr == null) {
      return null;
    }
    int slash = cidr.indexOf('/');
    return slash < 0 ? cidr : cidr.substring(0, slash);
  }

  /**
   * Deletes the endpoint: marks it deleted (unless its owner's deletion already did), then removes
   * the finalizer, which lets it go.
   */
  public Future<Void> delete(SpiderEndpoint endpoint) {
    Future<Void> marked = endpoint.getMetadata().getDeletionTimestamp() != null ? Future.succeededFuture()
        : kube.call(() -> {
          kube.client().resources(SpiderEndpoint.class).inNamespace(endpoint.getMetadata().getNamespace())
              .withName(endpoint.getMetadata().getName()).delete();
          return null;
        });
    return marked.compose(v -> dropFinalizer(endpoint));
  }

  private static boolean sameSettings(IPAllocationDetail a, IPAllocationDetail b) {
    return Objects.equals(a.ipv4Pool, b.ipv4Pool) && Objects.equals(a.ipv6Pool, b.ipv6Pool)
        && Objects.equals(a.ipv4Gateway, b.ipv4Gateway) && Objects.equals(a.ipv6Gateway, b.ipv6Gateway)
        && Objects.equals(a.cleanGateway, b.cleanGateway) && Objects.equals(a.routes, b.routes);
  }

  /** The sandbox (container ID) whose ADD last recorded the endpoint, or null. */
  public static String containerIdOf(SpiderEndpoint se) {
    return se.getMetadata().getAnnotations() == null ? null
        : se.getMetadata().getAnnotations().get(Constants.ANNOTATION_CONTAINER_ID);
  }

  /**
   * Every endpoint of pods on {@code node}, from the API server: only those are listed (the CRD
   * declares {@value #NODE_FIELD} a selectable field), not every endpoint of the cluster.
   */
  public Future<List<SpiderEndpoint>> onNode(String node) {
    return kube.call(() -> kube.client().resources(SpiderEndpoint.class).inAnyNamespace().withField(NODE_FIELD, node)
        .list().getItems());
  }

  /** The field selector that picks one node's endpoints. */
  public static final String NODE_FIELD = "status.current.node";

  /**
   * A new endpoint for this pod incarnation: finalizer, sandbox annotation, and an ownerReference to
   * the pod unless it keeps its IPs after the pod ({@code keepAfterPod}).
   */
  public static SpiderEndpoint build(EndpointHolder pod, boolean keepAfterPod, List<IPAllocationDetail> nics,
      String containerId) {
    SpiderEndpoint se = new SpiderEndpoint();
    if (containerId != null && !containerId.isEmpty()) {
      se.getMetadata().setAnnotations(new java.util.HashMap<>(java.util.Map.of(Constants.ANNOTATION_CONTAINER_ID, containerId)));
    }
    se.getMetadata().setName(pod.name());
    se.getMetadata().setNamespace(pod.namespace());
    se.getMetadata().setFinalizers(List.of(Constants.FINALIZER));
    if (!keepAfterPod) {
      se.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
          .withApiVersion("v1").withKind("Pod").withName(pod.name()).withUid(pod.uid()).build()));
    }
    WorkloadEndpointStatus status = new WorkloadEndpointStatus();
    status.current = new PodIPAllocation();
    status.current.uid = pod.uid();
    status.current.node = pod.node();
    status.current.ips = nics;
    status.ownerControllerType = pod.owner().kind();
    status.ownerControllerName = pod.owner().name();
    se.setStatus(status);
    return se;
  }
}
