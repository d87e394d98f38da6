package io.spidernet.spiderpool.testsupport.kube;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a tool built with the control plane (kubectl, helm) against the test cluster, as a user
 * would, keeping its exit code and both streams. Blocking.
 */
public final class ClusterTools {
  private ClusterTools() {}

  public record Result(int exit, String out, String err) {}

  /** {@code tool} with {@code args}, {@code stdin} (or nothing) on its standard input. */
  public static Result exec(LocalCluster cluster, String tool, String stdin, String... args) {
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

  private static String read(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
