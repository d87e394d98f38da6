package io.spidernet.spiderpool.controller.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.spidernet.spiderpool.api.v2beta1.IPPoolStatus;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.controller.it.ControllerProcess;
import io.spidernet.spiderpool.testsupport.ProcessCpu;
import io.spidernet.spiderpool.testsupport.kube.Crds;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GC's full scan at scale: {@code pools} pools of {@code records} records each, a tenth of them
 * orphaned (their pods never existed), the rest held by pods that exist (Pending, as on a node that
 * has not started them). The controller jar starts, wins leadership and scans once; the last line:
 * {@code bench-gc pools=.. records=.. orphans=.. scan_s=.. released=.. wrong_releases=..
 * api_writes_per_release=.. controller_rss_mib=..}.
 */
public final class GcBench {
  private GcBench() {}

  public static void main(String[] args) throws Exception {
    int pools = args.length > 1 && args[0].equals("--pools") ? Integer.parseInt(args[1]) : 100;
    int perPool = 1000;
    int orphansPerPool = perPool / 10;
    LocalCluster cluster = LocalCluster.get();
    KubernetesClient client = KubeCluster.client(cluster);
    Crds.install(client, cluster.root());
    String ns = "bench-gc";
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).serverSideApply();

    long t0 = System.nanoTime();
    ExecutorService threads = Executors.newFixedThreadPool(32);
    List<Callable<Pod>> creates = new ArrayList<>();
    for (int p = 0; p < pools; p++) {
      for (int j = 0; j < perPool - orphansPerPool; j++) {
        String name = "p" + p + "-" + j;
        creates.add(() -> client.resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
            .withNewSpec().addNewContainer().withName("c").withImage("x").endContainer().endSpec().build()).create());
      }
    }
    Map<String, String> uids = new java.util.HashMap<>();
    for (Future<Pod> f : threads.invokeAll(creates)) {
      Pod pod = f.get();
      uids.put(pod.getMetadata().getName(), pod.getMetadata().getUid());
    }
    threads.shutdown();
    System.out.printf("created %d pods in %.0f s%n", uids.size(), (System.nanoTime() - t0) / 1e9);

    // Pool p spans the /22 10.{100 + p/50}.{(p%50)*4}.0: 1 024 addresses, 1 000 of them recorded.
    Map<String, Map<String, PoolIPAllocation>> live = new TreeMap<>();
    for (int p = 0; p < pools; p++) {
      String name = "gc-bench-" + p;
      SpiderIPPool pool = client.resource(client.getKubernetesSerialization().unmarshal("apiVersion: spiderpool.spidernet.io/v2beta1\n"
          + "kind: SpiderIPPool\nmetadata: {name: " + name + "}\nspec: {ipVersion: 4, subnet: '" + ip(p, 0) + "/22', ips: ['"
          + ip(p, 0) + "-" + ip(p, 1023) + "']}\n", SpiderIPPool.class)).create();
      Map<String, PoolIPAllocation> records = new TreeMap<>();
      Map<String, PoolIPAllocation> keep = new TreeMap<>();
      for (int j = 0; j < perPool; j++) {
        String pod = "p" + p + "-" + j;
        boolean lives = j < perPool - orphansPerPool;
        PoolIPAllocation r = lives ? PoolIPAllocation.of(ns, pod, uids.get(pod))
            : PoolIPAllocation.of(ns, "gone-" + p + "-" + j, "uid-gone-" + p + "-" + j);
        records.put(ip(p, j), r);
        if (lives) {
          keep.put(ip(p, j), r);
        }
      }
      pool.setStatus(new IPPoolStatus());
      pool.getStatus().allocatedIPs = PoolIPAllocations.encode(records);
      pool.getStatus().allocatedIPCount = (long) records.size();
      pool.getStatus().totalIPCount = 1024L;
      client.resource(pool).updateStatus();
      live.put(name, keep);
    }
    int metricsPort = 16690;
    try (ControllerProcess controller = ControllerProcess.start(cluster, client, ns, Map.of(
        "SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION", "3600", "SPIDERPOOL_ENABLED_METRIC", "true",
        "SPIDERPOOL_METRIC_HTTP_PORT", String.valueOf(metricsPort)))) {
      double controllerCpu0 = ProcessCpu.secondsOf(controller.pid());
      double apiCpu0 = ProcessCpu.apiServer();
      Pattern scan = Pattern.compile("GC scan: (\\d+) records, (\\d+) candidates, (\\d+) released, \\d+ would be released \\(dry run\\), (\\d+) ms.*");
      Matcher m = null;
      for (int i = 0; i < 600 && m == null && controller.isAlive(); i++) {
        Thread.sleep(500);
        for (String line : Files.readAllLines(controller.log)) {
          Matcher candidate = scan.matcher(line);
          if (candidate.find() && Integer.parseInt(candidate.group(1)) > 0) {
            m = candidate;
          }
        }
      }
      if (m == null) {
        throw new IllegalStateException("no GC scan reported" + (controller.isAlive() ? "" : " (the controller exited)")
            + "; see " + controller.log);
      }
      long scanEnd = System.nanoTime();
      System.out.printf("CPU while the controller scanned: controller %.1f s, kube-apiserver %.1f s; %s%n",
          ProcessCpu.secondsOf(controller.pid()) - controllerCpu0, ProcessCpu.apiServer() - apiCpu0, m.group(0));
      int released = Integer.parseInt(m.group(3));
      double scanSeconds = Integer.parseInt(m.group(4)) / 1000.0;
      // Events are written after the releases, a few at a time: how long they trail the scan.
      int events = 0;
      for (int i = 0; i < 600 && events < released; i++) {
        events = client.v1().events().inNamespace("default").withField("reason", "IPReleased").list().getItems().size();
        if (events < released) {
          Thread.sleep(500);
        }
      }
      System.out.printf("IPReleased events: %d, all written %.1f s after the scan ended%n", events,
          (System.nanoTime() - scanEnd) / 1e9);
      int wrong = 0;
      int orphansLeft = 0;
      for (Map.Entry<String, Map<String, PoolIPAllocation>> e : live.entrySet()) {
        SpiderIPPool p = client.resources(SpiderIPPool.class).withName(e.getKey()).get();
        Map<String, PoolIPAllocation> now = PoolIPAllocations.decode(e.getKey(), p.getStatus().allocatedIPs);
        for (String ip : e.getValue().keySet()) {
          if (!now.containsKey(ip)) {
            wrong++;
          }
        }
        orphansLeft += now.size() - (int) e.getValue().keySet().stream().filter(now::containsKey).count();
      }
      // What the controller holds once the scan is over: its heap after a full collection.
      Process histogram = new ProcessBuilder("jcmd", String.valueOf(controller.pid()), "GC.class_histogram")
          .redirectOutput(java.nio.file.Path.of("controller/target/bench-gc-histogram.txt").toFile()).start();
      histogram.waitFor();
      String heap = new String(new ProcessBuilder("jcmd", String.valueOf(controller.pid()), "GC.heap_info").start()
          .getInputStream().readAllBytes());
      Matcher tenured = Pattern.compile("tenured generation\\s+total \\d+K, used (\\d+)K").matcher(heap);
      double liveHeap = tenured.find() ? Integer.parseInt(tenured.group(1)) / 1024.0 : Double.NaN;
      System.out.printf("controller heap after a full collection: %.0f MiB (histogram: controller/target/bench-gc-histogram.txt)%n",
          liveHeap);
      String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort
          + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
      Matcher writes = Pattern.compile("(?m)^spiderpool_ipam_pool_status_writes_total\\S* (\\S+)").matcher(metrics);
      double statusWrites = writes.find() ? Double.parseDouble(writes.group(1)) : Double.NaN;
      System.out.printf("orphans left after the scan: %d%n", orphansLeft);
      System.out.printf("bench-gc pools=%d records=%d orphans=%d scan_s=%.1f released=%d wrong_releases=%d "
          + "api_writes_per_release=%.3f controller_rss_mib=%.0f%n", pools, pools * perPool, pools * orphansPerPool, scanSeconds,
          released, wrong, statusWrites / Math.max(1, released), controller.peakRssMiB());
    }
    client.close();
  }

  /** Address {@code j} of pool {@code p}'s /22. */
  private static String ip(int p, int j) {
    return "10." + (100 + p / 50) + "." + ((p % 50) * 4 + j / 256) + "." + (j % 256);
  }
}
