package io.spidernet.spiderpool.controller.gc;

import java.time.Duration;

/**
 * The GC switches of spec 6 ({@code SPIDERPOOL_GC_*}).
 *
 * @param terminatingOnReadyNode release IPs of terminating pods past grace on Ready nodes
 * @param terminatingOnNotReadyNode ... on NotReady (or missing) nodes
 * @param runningPodOnEmptyIPs release IPs of Running pods that report no IP
 * @param additionalGrace added to every grace period before a release
 * @param dryRun emit {@code IPReleaseWouldHappen} Events and release nothing
 * @param statefulSets StatefulSet pods keep their IPs ({@code enableStatefulSet})
 * @param kubevirt KubeVirt VMI pods keep their IPs ({@code enableKubevirtStaticIP})
 */
public record GcSettings(boolean terminatingOnReadyNode, boolean terminatingOnNotReadyNode, boolean runningPodOnEmptyIPs,
    Duration additionalGrace, boolean dryRun, boolean statefulSets, boolean kubevirt) {
  public static GcSettings defaults() {
    return new GcSettings(true, true, false, Duration.ZERO, false, true, true);
  }
}
