package io.spidernet.spiderpool.controller.gc;

import java.time.Instant;

/**
 * Spec 6.2's decision table, one record at a time, as a pure function. Cautious where upstream is
 * ambiguous: a StatefulSet or KubeVirt pod its owner still wants is never released, and a pod with
 * an IP in its status keeps its record until its grace has run out.
 */
public final class GcRules {
  private GcRules() {}

  public static GcVerdict decide(GcFacts f, GcSettings s) {
    GcPod pod = f.pod();
    boolean isStatic = f.staticValid() != null;
    boolean valid = Boolean.TRUE.equals(f.staticValid());
    if (pod == null) {
      if (f.endpoint() == null) {
        return GcVerdict.release("pod-gone", "the pod no longer exists and has no SpiderEndpoint");
      }
      if (valid) {
        return GcVerdict.keep("static-between-incarnations", "its StatefulSet or VM still wants the pod back");
      }
      return GcVerdict.releaseAll("pod-gone", "the pod no longer exists");
    }
    if (pod.hostNetwork()) {
      return GcVerdict.keep("host-network", "host-network pods hold no IP of ours");
    }
    boolean hasIPs = pod.hasIPs();
    if (!f.recordUid().equals(pod.uid())) {
      if (isStatic && !hasIPs && valid) {
        return GcVerdict.keep("static-recreated", "the new incarnation of a wanted StatefulSet/VM pod has no IP yet");
      }
      return GcVerdict.release("recreated", "the pod was re-created (UID " + pod.uid()
          + "); the record belongs to the former incarnation " + f.recordUid());
    }
    if (isStatic && valid) {
      return GcVerdict.keep("static-valid", "its StatefulSet or VM still wants the pod");
    }
    String phase = pod.phase();
    if (pod.terminating()) {
      Instant stop = pod.deletionGraceEnd(s.additionalGrace());
      if (f.now().isAfter(stop)) {
        return gated(f, s, "terminating", "the pod is terminating and its grace period ended at " + stop);
      }
      if (hasIPs) {
        return GcVerdict.keep("terminating-in-grace", "the pod is terminating within its grace period");
      }
      return GcVerdict.releaseAll("terminating-without-ip", "the pod is terminating and reports no IP");
    }
    if ("Pending".equals(phase)) {
      return GcVerdict.keep("pending", "the pod is starting");
    }
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      if (isStatic) {
        return GcVerdict.releaseAll("static-invalid", "the pod finished and its StatefulSet or VM no longer wants it");
      }
      Instant finished = pod.finishedAt();
      if (finished == null) {
        return GcVerdict.keep("finished", "the pod finished; its containers' end is not known yet");
      }
      Instant stop = finished.plusSeconds(pod.terminationGrace()).plus(s.additionalGrace());
      if (f.now().isAfter(stop)) {
        return gated(f, s, "finished", "the pod " + phase + " and its grace period ended at " + stop);
      }
      return GcVerdict.keep("finished-in-grace", "the pod finished within its grace period");
    }
    if (hasIPs) {
      return GcVerdict.keep("running", "the pod runs with its IP");
    }
    if (isStatic) {
      return GcVerdict.releaseAll("static-invalid", "the pod reports no IP and its StatefulSet or VM no longer wants it");
    }
    if ("Running".equals(phase)) {
      return s.runningPodOnEmptyIPs()
          ? GcVerdict.releaseAll("running-without-ip", "the pod runs but reports no IP")
          : GcVerdict.keep("running-without-ip", "the pod runs and reports no IP (GC of such pods is off)");
    }
    if ("Unknown".equals(phase)) {
      return GcVerdict.releaseAll("unknown-without-ip", "the pod's phase is Unknown and it reports no IP");
    }
    return GcVerdict.keep("other", "phase " + phase);
  }

  /** A release that the node switches allow: Ready nodes need one, NotReady (or gone) nodes the other. */
  private static GcVerdict gated(GcFacts f, GcSettings s, String rule, String why) {
    boolean allowed = f.nodeReady() ? s.terminatingOnReadyNode() : s.terminatingOnNotReadyNode();
    return allowed ? GcVerdict.releaseAll(rule, why)
        : GcVerdict.keep(rule + "-node-gate", why + ", but GC on " + (f.nodeReady() ? "Ready" : "NotReady") + " nodes is off");
  }
}
