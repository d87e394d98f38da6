package io.spidernet.spiderpool.controller.subnet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.spidernet.spiderpool.core.kube.Kube;
import io.spidernet.spiderpool.core.pod.PodRules;
import io.spidernet.spiderpool.core.pod.TopController;
import io.vertx.core.Future;
import java.util.Map;

/**
 * The workloads auto-pools serve (spec 6.5): informers on Deployments, ReplicaSets, StatefulSets,
 * DaemonSets, Jobs and CronJobs, and what the application controller reads of each: its identity,
 * its pod template's annotations and its replica count. Keys are {@code Kind/namespace/name}.
 */
public final class Workloads implements AutoCloseable {
  /** A workload as the application controller sees it. */
  public record Workload(HasMetadata object, TopController app, Map<String, String> templateAnnotations, int replicas,
      boolean controlledByAnother) {}

  private final Map<String, SharedIndexInformer<? extends HasMetadata>> informers;

  private Workloads(Kube kube) {
    var c = kube.client();
    this.informers = Map.of(
        "Deployment", c.apps().deployments().inAnyNamespace().runnableInformer(0),
        "ReplicaSet", c.apps().replicaSets().inAnyNamespace().runnableInformer(0),
        "StatefulSet", c.apps().statefulSets().inAnyNamespace().runnableInformer(0),
        "DaemonSet", c.apps().daemonSets().inAnyNamespace().runnableInformer(0),
        "Job", c.batch().v1().jobs().inAnyNamespace().runnableInformer(0),
        "CronJob", c.batch().v1().cronjobs().inAnyNamespace().runnableInformer(0));
  }

  /** Starts the informers; completes when synced. Any thread. */
  public static Future<Workloads> start(Kube kube) {
    Workloads w = new Workloads(kube);
    return kube.callUnbounded(() -> {
      for (SharedIndexInformer<?> i : w.informers.values()) {
        i.start().toCompletableFuture().get();
      }
      return w;
    });
  }

  public Map<String, SharedIndexInformer<? extends HasMetadata>> informers() {
    return informers;
  }

  /** {@code Deployment/default/nginx}. */
  public static String key(HasMetadata o) {
    return o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }

  /** The workload a key names, or null when the informer has none (deleted, or never there). */
  public Workload get(String key) {
    String[] p = key.split("/", 3);
    SharedIndexInformer<? extends HasMetadata> informer = p.length == 3 ? informers.get(p[0]) : null;
    HasMetadata o = informer == null ? null : informer.getStore().getByKey(p[1] + "/" + p[2]);
    return o == null ? null : describe(o);
  }

  static Workload describe(HasMetadata o) {
    String group = o instanceof Job || o instanceof CronJob ? "batch" : "apps";
    TopController app = new TopController(group, "v1", o.getKind(), o.getMetadata().getNamespace(), o.getMetadata().getName(),
        o.getMetadata().getUid());
    PodTemplateSpec template;
    int replicas;
    boolean another = false;
    if (o instanceof Deployment d) {
      template = d.getSpec().getTemplate();
      replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    } else if (o instanceof ReplicaSet rs) {
      template = rs.getSpec().getTemplate();
      replicas = rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
      another = ownedBy(rs, "Deployment");
    } else if (o instanceof StatefulSet s) {
      template = s.getSpec().getTemplate();
      replicas = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
    } else if (o instanceof DaemonSet ds) {
      template = ds.getSpec().getTemplate();
      replicas = ds.getStatus() == null || ds.getStatus().getDesiredNumberScheduled() == null ? 0
          : ds.getStatus().getDesiredNumberScheduled();
    } else if (o instanceof Job j) {
      template = j.getSpec().getTemplate();
      replicas = jobReplicas(j.getSpec());
      another = ownedBy(j, "CronJob");
    } else if (o instanceof CronJob cj) {
      JobSpec spec = cj.getSpec().getJobTemplate().getSpec();
      template = spec.getTemplate();
      replicas = jobReplicas(spec);
    } else {
      throw new IllegalArgumentException("not a workload: " + o.getKind());
    }
    Map<String, String> annotations = template == null || template.getMetadata() == null
        || template.getMetadata().getAnnotations() == null ? Map.of() : template.getMetadata().getAnnotations();
    return new Workload(o, app, annotations, replicas, another);
  }

  /** Completions if set, else parallelism; none or 0 counts as 1 (spec 6.5). */
  static int jobReplicas(JobSpec spec) {
    Integer n = spec.getCompletions() != null ? spec.getCompletions() : spec.getParallelism();
    return n == null || n == 0 ? 1 : n;
  }

  private static boolean ownedBy(HasMetadata o, String kind) {
    OwnerReference owner = PodRules.controllerOf(o);
    return owner != null && kind.equals(owner.getKind());
  }

  @Override
  public void close() {
    informers.values().forEach(SharedIndexInformer::close);
  }

}
