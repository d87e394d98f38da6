package io.spidernet.spiderpool.controller.it;

import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Runs the helm and kubectl built with the control plane against the test cluster; keeps exit code and both streams. */
final class Helm {
  private Helm() {}

  record Result(int exit, String out, String err) {}

  static Result run(LocalCluster cluster, String... args) {
    return exec(cluster, "helm", null, args);
  }

  static Result kubectl(LocalCluster cluster, String stdin, String... args) {
    return exec(cluster, "kubectl", stdin, args);
  }

  private static Result exec(LocalCluster cluster, String tool, String stdin, String... args) {
    List<String> command = new ArrayList<>(List.of(cluster.binDir().resolve(tool).toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
    try {
      Process p = pb.start();
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      String out = read(p.getInputStream());
      return new Result(p.waitFor(), out, err.join());
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + tool + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
