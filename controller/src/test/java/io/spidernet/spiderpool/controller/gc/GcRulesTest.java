package io.spidernet.spiderpool.controller.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.controller.gc.GcVerdict.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Spec 6.2's table, one row per case: what the scan does with a record. */
class GcRulesTest {
  static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  static final SpiderEndpoint ENDPOINT = new SpiderEndpoint();
  static final GcSettings DEFAULTS = GcSettings.defaults();

  record Row(String situation, GcFacts facts, GcSettings settings, Action action, String rule) {
    @Override
    public String toString() {
      return situation;
    }
  }

  static PodBuilder pod(String uid, String phase, boolean ips) {
    PodBuilder b = new PodBuilder().withNewMetadata().withName("web-0").withNamespace("shop").withUid(uid).endMetadata()
        .withNewSpec().withTerminationGracePeriodSeconds(30L).endSpec().withNewStatus().withPhase(phase).endStatus();
    if (ips) {
      b.editStatus().addNewPodIP("10.6.0.5").endStatus();
    }
    return b;
  }

  static Pod finished(String phase, Instant at) {
    return pod("u1", phase, true).editStatus().addNewContainerStatus().withName("c").withNewState().withNewTerminated()
        .withFinishedAt(at.toString()).endTerminated().endState().endContainerStatus().endStatus().build();
  }

  static Pod terminating(Instant deletion, boolean ips) {
    return pod("u1", "Running", ips).editMetadata().withDeletionTimestamp(deletion.toString()).withDeletionGracePeriodSeconds(30L)
        .endMetadata().build();
  }

  static GcFacts facts(Pod pod, SpiderEndpoint se, Boolean staticValid, boolean nodeReady) {
    return new GcFacts("u1", pod == null ? null : GcPod.of(pod), se == null ? null : GcEndpoint.of(se), staticValid, nodeReady, NOW);
  }

  static Stream<Row> table() {
    GcSettings notReadyOff = new GcSettings(true, false, false, Duration.ZERO, false, true, true);
    GcSettings runningEmpty = new GcSettings(true, true, true, Duration.ZERO, false, true, true);
    GcSettings delayed = new GcSettings(true, true, false, Duration.ofMinutes(5), false, true, true);
    return Stream.of(
        new Row("pod missing, endpoint missing", facts(null, null, null, true), DEFAULTS, Action.RELEASE, "pod-gone"),
        new Row("pod missing, endpoint of a StatefulSet that still wants it", facts(null, ENDPOINT, true, true), DEFAULTS,
            Action.KEEP, "static-between-incarnations"),
        new Row("pod missing, endpoint of a scaled-down StatefulSet", facts(null, ENDPOINT, false, true), DEFAULTS,
            Action.RELEASE_AND_DELETE_ENDPOINT, "pod-gone"),
        new Row("pod missing, endpoint of a stateless pod", facts(null, ENDPOINT, null, true), DEFAULTS,
            Action.RELEASE_AND_DELETE_ENDPOINT, "pod-gone"),
        new Row("pod Pending", facts(pod("u1", "Pending", false).build(), ENDPOINT, null, true), DEFAULTS, Action.KEEP, "pending"),
        new Row("pod Succeeded, StatefulSet still wants it", facts(finished("Succeeded", NOW.minusSeconds(600)), ENDPOINT, true, true),
            DEFAULTS, Action.KEEP, "static-valid"),
        new Row("pod Failed, StatefulSet no longer wants it", facts(finished("Failed", NOW.minusSeconds(600)), ENDPOINT, false, true),
            DEFAULTS, Action.RELEASE_AND_DELETE_ENDPOINT, "static-invalid"),
        new Row("pod Succeeded, stateless, grace over", facts(finished("Succeeded", NOW.minusSeconds(31)), ENDPOINT, null, true),
            DEFAULTS, Action.RELEASE_AND_DELETE_ENDPOINT, "finished"),
        new Row("pod Succeeded, stateless, within grace", facts(finished("Succeeded", NOW.minusSeconds(29)), ENDPOINT, null, true),
            DEFAULTS, Action.KEEP, "finished-in-grace"),
        new Row("pod Failed, grace over but for the additional delay", facts(finished("Failed", NOW.minusSeconds(60)), ENDPOINT, null,
            true), delayed, Action.KEEP, "finished-in-grace"),
        new Row("terminating, grace over, Ready node", facts(terminating(NOW.minusSeconds(31), true), ENDPOINT, null, true), DEFAULTS,
            Action.RELEASE_AND_DELETE_ENDPOINT, "terminating"),
        new Row("terminating, grace over, NotReady node, switch off", facts(terminating(NOW.minusSeconds(31), true), ENDPOINT, null,
            false), notReadyOff, Action.KEEP, "terminating-node-gate"),
        new Row("terminating within grace with an IP", facts(terminating(NOW.minusSeconds(5), true), ENDPOINT, null, true), DEFAULTS,
            Action.KEEP, "terminating-in-grace"),
        new Row("terminating within grace without IP", facts(terminating(NOW.minusSeconds(5), false), ENDPOINT, null, true), DEFAULTS,
            Action.RELEASE_AND_DELETE_ENDPOINT, "terminating-without-ip"),
        new Row("terminating StatefulSet pod still wanted", facts(terminating(NOW.minusSeconds(300), true), ENDPOINT, true, true),
            DEFAULTS, Action.KEEP, "static-valid"),
        new Row("Running with IP", facts(pod("u1", "Running", true).build(), ENDPOINT, null, true), DEFAULTS, Action.KEEP, "running"),
        new Row("Unknown with IP", facts(pod("u1", "Unknown", true).build(), ENDPOINT, null, false), DEFAULTS, Action.KEEP, "running"),
        new Row("Running without IP, switch off", facts(pod("u1", "Running", false).build(), ENDPOINT, null, true), DEFAULTS,
            Action.KEEP, "running-without-ip"),
        new Row("Running without IP, switch on", facts(pod("u1", "Running", false).build(), ENDPOINT, null, true), runningEmpty,
            Action.RELEASE_AND_DELETE_ENDPOINT, "running-without-ip"),
        new Row("Unknown without IP", facts(pod("u1", "Unknown", false).build(), ENDPOINT, null, true), DEFAULTS,
            Action.RELEASE_AND_DELETE_ENDPOINT, "unknown-without-ip"),
        new Row("no IP, StatefulSet still wants it", facts(pod("u1", "Running", false).build(), ENDPOINT, true, true), DEFAULTS,
            Action.KEEP, "static-valid"),
        new Row("no IP, StatefulSet no longer wants it", facts(pod("u1", "Running", false).build(), ENDPOINT, false, true), DEFAULTS,
            Action.RELEASE_AND_DELETE_ENDPOINT, "static-invalid"),
        new Row("re-created, stateless", facts(pod("u2", "Running", true).build(), ENDPOINT, null, true), DEFAULTS, Action.RELEASE,
            "recreated"),
        new Row("re-created StatefulSet pod with its IP", facts(pod("u2", "Running", true).build(), ENDPOINT, true, true), DEFAULTS,
            Action.RELEASE, "recreated"),
        new Row("re-created StatefulSet pod without IP yet, wanted", facts(pod("u2", "Pending", false).build(), ENDPOINT, true, true),
            DEFAULTS, Action.KEEP, "static-recreated"),
        new Row("re-created StatefulSet pod without IP, unwanted", facts(pod("u2", "Pending", false).build(), ENDPOINT, false, true),
            DEFAULTS, Action.RELEASE, "recreated"),
        new Row("host-network pod", facts(pod("u1", "Running", false).editSpec().withHostNetwork(true).endSpec().build(), null, null,
            true), DEFAULTS, Action.KEEP, "host-network"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void row(Row row) {
    GcVerdict verdict = GcRules.decide(row.facts(), row.settings());
    assertThat(verdict.action()).as(verdict.why()).isEqualTo(row.action());
    assertThat(verdict.rule()).isEqualTo(row.rule());
    assertThat(verdict.why()).isNotBlank();
  }
}
