package io.spidernet.spiderpool.controller;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.spidernet.spiderpool.common.config.ConfFile;
import io.spidernet.spiderpool.core.subnet.AutoPoolDemands;
import java.nio.file.Path;

/**
 * The keys of the shared {@code conf.yml} the controller's reconcilers use (the webhooks read
 * theirs into {@link io.spidernet.spiderpool.webhook.rules.WebhookConfig}).
 *
 * @param enableStatefulSet StatefulSet pods keep their IPs across re-creation
 * @param enableKubevirtStaticIP KubeVirt VMs keep theirs
 * @param enableAutoPoolForApplication workloads naming SpiderSubnets get auto-pools
 * @param autoPoolDefaultRedundancy N of an auto-pool's default flexible size, replicas + N
 */
public record ControllerConfig(boolean enableStatefulSet, boolean enableKubevirtStaticIP, boolean enableAutoPoolForApplication,
    int autoPoolDefaultRedundancy) {
  public static ControllerConfig defaults() {
    return new ControllerConfig(true, true, true, 1);
  }

  public static ControllerConfig load(Path path) {
    File file = ConfFile.read(path, File.class);
    return file == null ? defaults() : new ControllerConfig(file.enableStatefulSet, file.enableKubevirtStaticIP,
        file.enableAutoPoolForApplication, AutoPoolDemands.defaultRedundancy(file.clusterSubnetAutoPoolDefaultRedundantIPNumber,
            file.clusterSubnetDefaultFlexibleIPNumber));
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  static final class File {
    public boolean enableStatefulSet = true;
    public boolean enableKubevirtStaticIP = true;
    public boolean enableAutoPoolForApplication = true;
    public Integer clusterSubnetAutoPoolDefaultRedundantIPNumber;
    public Integer clusterSubnetDefaultFlexibleIPNumber;
  }
}
