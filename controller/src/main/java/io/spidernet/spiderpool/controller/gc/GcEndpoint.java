package io.spidernet.spiderpool.controller.gc;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.spidernet.spiderpool.api.v2beta1.PodIPAllocation;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.api.v2beta1.WorkloadEndpointStatus;

/**
 * What the GC rules read of a SpiderEndpoint: whose incarnation it records, on which node, and the
 * pod's controller. The endpoint informer keeps one of these per endpoint.
 *
 * @param podUid the UID of the pod incarnation the endpoint records, or null
 */
public record GcEndpoint(String resourceVersion, String podUid, String node, String ownerKind, String ownerName) {

  public static GcEndpoint of(SpiderEndpoint se) {
    WorkloadEndpointStatus s = se.getStatus();
    PodIPAllocation current = s == null ? null : s.current;
    return new GcEndpoint(se.getMetadata().getResourceVersion(), current == null ? null : current.uid,
        current == null || current.node == null ? null : current.node.intern(),
        s == null || s.ownerControllerType == null ? null : s.ownerControllerType.intern(),
        s == null || s.ownerControllerName == null ? null : s.ownerControllerName.intern());
  }

  /** An endpoint carrying these facts, for the informer's bookkeeping ({@code key} is namespace/name). */
  SpiderEndpoint toEndpoint(String key) {
    SpiderEndpoint se = skeleton(key, resourceVersion);
    WorkloadEndpointStatus status = new WorkloadEndpointStatus();
    status.current = new PodIPAllocation();
    status.current.uid = podUid;
    status.current.node = node;
    status.ownerControllerType = ownerKind;
    status.ownerControllerName = ownerName;
    se.setStatus(status);
    return se;
  }

  /** An endpoint with only its identity. */
  static SpiderEndpoint skeleton(String key, String resourceVersion) {
    int slash = key.indexOf('/');
    ObjectMeta meta = new ObjectMeta();
    meta.setNamespace(key.substring(0, Math.max(slash, 0)));
    meta.setName(key.substring(slash + 1));
    meta.setResourceVersion(resourceVersion);
    SpiderEndpoint se = new SpiderEndpoint();
    se.setMetadata(meta);
    return se;
  }
}
