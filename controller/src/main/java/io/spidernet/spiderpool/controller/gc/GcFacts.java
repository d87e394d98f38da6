package io.spidernet.spiderpool.controller.gc;

import java.time.Instant;

/**
 * What the scan knows about one record when it decides.
 *
 * @param recordUid the pod UID the pool records for the IP
 * @param pod the pod of the record's name, or null when there is none
 * @param endpoint the SpiderEndpoint of that name, or null
 * @param staticValid null when the pod (or, without a pod, its endpoint's owner) is not a
 *     StatefulSet/VMI pod that keeps its IPs; else whether its owner still wants it
 * @param nodeReady whether the pod's node is Ready (false when it is NotReady or gone)
 * @param now the decision's time
 */
public record GcFacts(String recordUid, GcPod pod, GcEndpoint endpoint, Boolean staticValid, boolean nodeReady, Instant now) {}
