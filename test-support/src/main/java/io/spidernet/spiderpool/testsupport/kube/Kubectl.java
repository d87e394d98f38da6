package io.spidernet.spiderpool.testsupport.kube;

/** Runs the kubectl built with the control plane against the test cluster, as a user would. */
public final class Kubectl {
  private final LocalCluster cluster;

  Kubectl(LocalCluster cluster) {
    this.cluster = cluster;
  }

  /** kubectl's standard output; fails with its standard error when it exits non-zero. */
  public String run(String... args) {
    ClusterTools.Result r = ClusterTools.exec(cluster, "kubectl", null, args);
    if (r.exit() != 0) {
      throw new IllegalStateException("kubectl " + String.join(" ", args) + " failed: " + r.err().strip());
    }
    return r.out();
  }
}
