package io.spidernet.spiderpool.testsupport.kube;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs the kubectl built with the control plane against the test cluster, as a user would. */
public final class Kubectl {
  private final LocalCluster cluster;

  Kubectl(LocalCluster cluster) {
    this.cluster = cluster;
  }

  /** kubectl's standard output; fails with its standard error when it exits non-zero. */
  public String run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(cluster.binDir().resolve("kubectl").toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
    try {
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("kubectl " + String.join(" ", args) + " failed: " + err.strip());
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kubectl: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
