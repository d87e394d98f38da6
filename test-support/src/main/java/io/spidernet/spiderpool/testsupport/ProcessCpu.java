package io.spidernet.spiderpool.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of local processes, for benchmarks that report what a run cost (Linux {@code /proc}). */
public final class ProcessCpu {
  private ProcessCpu() {}

  /** CPU time (user + system) of process {@code pid}, in seconds (clock ticks of 1/100 s). */
  public static double secondsOf(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
  }

  /** CPU seconds used so far by the local kube-apiserver (its pid file is in {@code SPJ_CLUSTER_DIR}). */
  public static double apiServer() throws IOException {
    Path pidFile = Path.of(System.getenv("SPJ_CLUSTER_DIR"), "kube-apiserver.pid");
    return secondsOf(Long.parseLong(Files.readString(pidFile).trim()));
  }

  /** CPU seconds used so far by this JVM. */
  public static double self() throws IOException {
    return secondsOf(ProcessHandle.current().pid());
  }
}
