package io.spidernet.spiderpool.controller.subnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** What the application controller reads of each workload kind (spec 6.5). */
class WorkloadsTest {
  private static final KubernetesSerialization K8S = new KubernetesSerialization();
  private static final String TEMPLATE = "template: {metadata: {annotations: {ipam.spidernet.io/subnet: '{\"ipv4\":[\"s\"]}'}}}";

  private static Workloads.Workload of(String yaml) {
    return Workloads.describe(K8S.unmarshal(yaml, HasMetadata.class));
  }

  @Test
  void replicasComeFromEachKindsOwnField() {
    assertThat(of("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: n, uid: u}\nspec: {replicas: 3, "
        + TEMPLATE + "}").replicas()).isEqualTo(3);
    assertThat(of("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s, namespace: n}\nspec: {" + TEMPLATE + "}").replicas())
        .as("unset means 1").isEqualTo(1);
    assertThat(of("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ds, namespace: n}\nspec: {" + TEMPLATE + "}\n"
        + "status: {desiredNumberScheduled: 7}").replicas()).isEqualTo(7);
    assertThat(of("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, namespace: n}\nspec: {completions: 5, parallelism: 2, "
        + TEMPLATE + "}").replicas()).as("completions first").isEqualTo(5);
    assertThat(of("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, namespace: n}\nspec: {parallelism: 0, " + TEMPLATE + "}")
        .replicas()).as("0 counts as 1").isEqualTo(1);
    Workloads.Workload cron = of("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c, namespace: n}\nspec: {schedule: '* * * * *', "
        + "jobTemplate: {spec: {parallelism: 4, " + TEMPLATE + "}}}");
    assertThat(cron.replicas()).isEqualTo(4);
    assertThat(cron.app().group()).isEqualTo("batch");
    assertThat(cron.templateAnnotations()).containsKey("ipam.spidernet.io/subnet");
  }

  @Test
  void replicaSetsOfDeploymentsAndJobsOfCronJobsAreServedThroughTheirOwner() {
    assertThat(of("apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: r, namespace: n, ownerReferences: [{apiVersion: apps/v1, "
        + "kind: Deployment, name: d, uid: u, controller: true}]}\nspec: {" + TEMPLATE + "}").controlledByAnother()).isTrue();
    assertThat(of("apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: r, namespace: n}\nspec: {" + TEMPLATE + "}")
        .controlledByAnother()).isFalse();
    assertThat(of("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, namespace: n, ownerReferences: [{apiVersion: batch/v1, "
        + "kind: CronJob, name: c, uid: u, controller: true}]}\nspec: {" + TEMPLATE + "}").controlledByAnother()).isTrue();
  }
}
