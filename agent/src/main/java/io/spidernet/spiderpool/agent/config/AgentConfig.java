package io.spidernet.spiderpool.agent.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.common.config.ConfFile;
import io.spidernet.spiderpool.core.subnet.AutoPoolDemands;
import java.nio.file.Path;

/**
 * The {@code conf.yml} key of the {@code spiderpool-conf} ConfigMap (spec 4.4): the settings the
 * chart shares between agent and controller. Keys this agent does not use are ignored; absent keys
 * take the chart's defaults.
 */
public record AgentConfig(
    String ipamUnixSocketPath,
    boolean enableIPv4,
    boolean enableIPv6,
    boolean enableStatefulSet,
    boolean enableKubevirtStaticIP,
    boolean enableSpiderSubnet,
    boolean enableAutoPoolForApplication,
    boolean enableIPConflictDetection,
    boolean enableGatewayDetection,
    int clusterSubnetAutoPoolDefaultRedundantIPNumber) {

  public static final String DEFAULT_PATH = ConfFile.DEFAULT_PATH;

  public static AgentConfig defaults() {
    return new File().toConfig();
  }

  /** Reads {@code path}; a missing file means the defaults (the caller logs it). */
  public static AgentConfig load(Path path) {
    File file = ConfFile.read(path, File.class);
    return (file == null ? new File() : file).toConfig();
  }

  /** Whether pods of {@code owner} keep their IPs across re-creation (StatefulSets, KubeVirt VMIs, each when on). */
  public boolean keepsIPs(io.spidernet.spiderpool.core.pod.TopController owner) {
    return owner.keepsIPs(enableStatefulSet, enableKubevirtStaticIP);
  }

  public AgentConfig withSocket(String socket) {
    return new AgentConfig(socket, enableIPv4, enableIPv6, enableStatefulSet, enableKubevirtStaticIP, enableSpiderSubnet,
        enableAutoPoolForApplication, enableIPConflictDetection, enableGatewayDetection,
        clusterSubnetAutoPoolDefaultRedundantIPNumber);
  }

  /** The file's shape, with the chart's defaults. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  static final class File {
    public String ipamUnixSocketPath = Constants.DEFAULT_UNIX_SOCKET;
    public boolean enableIPv4 = true;
    public boolean enableIPv6 = true;
    public boolean enableStatefulSet = true;
    public boolean enableKubevirtStaticIP = true;
    public boolean enableSpiderSubnet = true;
    public boolean enableAutoPoolForApplication = true;
    public boolean enableIPConflictDetection = false;
    public boolean enableGatewayDetection = false;
    /** Quirk 10.3: the chart writes the second name, upstream's code reads the first; both count. */
    public Integer clusterSubnetAutoPoolDefaultRedundantIPNumber;
    public Integer clusterSubnetDefaultFlexibleIPNumber;

    AgentConfig toConfig() {
      int redundant = AutoPoolDemands.defaultRedundancy(clusterSubnetAutoPoolDefaultRedundantIPNumber,
          clusterSubnetDefaultFlexibleIPNumber);
      return new AgentConfig(ipamUnixSocketPath, enableIPv4, enableIPv6, enableStatefulSet, enableKubevirtStaticIP,
          enableSpiderSubnet, enableAutoPoolForApplication, enableIPConflictDetection, enableGatewayDetection, redundant);
    }
  }
}
