package io.spidernet.spiderpool.testsupport.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A spiderpool-agent running as its own JVM from the shaded jar, as on a node: its own socket,
 * node name and configuration file. Used where separate processes matter (concurrency across
 * agents, kill -9) and by the IPAM benchmark.
 */
public final class AgentProcess implements AutoCloseable {
  private final String node;
  private final Path socket;
  private final Path dir;
  private final Path kubeconfig;
  private Process process;

  private final java.util.Map<String, String> extraEnv;

  private AgentProcess(String node, Path dir, Path kubeconfig, java.util.Map<String, String> extraEnv) {
    this.extraEnv = extraEnv;
    this.node = node;
    this.dir = dir;
    this.socket = dir.resolve("run/spiderpool.sock");
    this.kubeconfig = kubeconfig;
  }

  /** Starts the agent of {@code node} and waits until its socket answers. */
  public static AgentProcess start(Path jar, String node, Path kubeconfig, Path workDir) throws Exception {
    return start(jar, node, kubeconfig, workDir, java.util.Map.of());
  }

  /** As {@link #start(Path, String, Path, Path)}, with more environment (e.g. metrics on a port). */
  public static AgentProcess start(Path jar, String node, Path kubeconfig, Path workDir, java.util.Map<String, String> env)
      throws Exception {
    AgentProcess agent = new AgentProcess(node, workDir.resolve(node), kubeconfig, env);
    Files.createDirectories(agent.dir);
    Files.writeString(agent.dir.resolve("conf.yml"), "ipamUnixSocketPath: " + agent.socket + "\n");
    agent.launch(jar);
    return agent;
  }

  public void launch(Path jar) throws Exception {
    Files.deleteIfExists(socket); // a killed agent leaves its socket file; wait for the new one
    process = builder(jar, dir.resolve("agent.log")).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(socket)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("agent " + node + " exited with " + process.exitValue() + "; see " + dir.resolve("agent.log"));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("agent " + node + " did not open " + socket + " in 60 s; see " + dir.resolve("agent.log"));
      }
      Thread.sleep(50);
    }
  }

  /** Starts a second agent with this one's node and socket, logging to {@code log}; does not wait. */
  public Process launchSecond(Path jar, Path log) throws IOException {
    return builder(jar, log).start();
  }

  private ProcessBuilder builder(Path jar, Path log) throws IOException {
    List<String> command = new java.util.ArrayList<>();
    command.add(javaBin());
    command.addAll(jvmOptions());
    command.addAll(List.of("-jar", jar.toString(), "--config-path", dir.resolve("conf.yml").toString()));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // A pod's environment, not the test JVM's: nothing leaks in that the agent would refuse.
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().put("SPIDERPOOL_NODE_NAME", node);
    pb.environment().put("SPIDERPOOL_POD_NAMESPACE", "kube-system");
    pb.environment().put("SPIDERPOOL_POD_NAME", "spiderpool-agent-" + node);
    pb.environment().put("SPIDERPOOL_HEALTH_PORT", "0");
    pb.environment().putAll(extraEnv);
    return pb;
  }

  public String node() {
    return node;
  }

  public Path socket() {
    return socket;
  }

  public long pid() {
    return process.pid();
  }

  /** Peak resident memory (VmHWM) in MiB, read from /proc. */
  public double peakRssMiB() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return Double.NaN;
  }

  /** CPU time (user + system) the agent process has used so far, in seconds. */
  public double cpuSeconds() throws IOException {
    return io.spidernet.spiderpool.testsupport.ProcessCpu.secondsOf(process.pid());
  }

  /** SIGKILL: no shutdown hook, no cleanup, as when a node's agent is OOM-killed. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** The agent's JVM options (agent/jvm-options), the ones a node runs it with. */
  static List<String> jvmOptions() throws IOException {
    Path file = Path.of(System.getProperty("spiderpool.root.dir", "..")).resolve("agent/jvm-options");
    return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The shaded agent jar of this build. */
  public static Path jar() {
    Path jar = Path.of(System.getProperty("spiderpool.root.dir", "..")).resolve("agent/target/spiderpool-agent.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run mvn package first");
    }
    return jar;
  }
}
