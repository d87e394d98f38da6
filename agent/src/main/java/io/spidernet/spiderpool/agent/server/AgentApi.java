package io.spidernet.spiderpool.agent.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The JSON models of Spiderpool's agent API ({@code api/v1/agent/openapi.yaml}), field for field,
 * so that Spiderpool's own CNI binaries can talk to this agent.
 */
public final class AgentApi {
  private AgentApi() {}

  public record IpamAddArgs(
      @JsonProperty("containerID") String containerID,
      @JsonProperty("ifName") String ifName,
      @JsonProperty("netNamespace") String netNamespace,
      @JsonProperty("podNamespace") String podNamespace,
      @JsonProperty("podName") String podName,
      @JsonProperty("podUID") String podUID,
      @JsonProperty("defaultIPv4IPPool") List<String> defaultIPv4IPPool,
      @JsonProperty("defaultIPv6IPPool") List<String> defaultIPv6IPPool,
      @JsonProperty("cleanGateway") boolean cleanGateway,
      @JsonProperty("matchMasterSubnet") boolean matchMasterSubnet) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record IpamAddResponse(
      @JsonProperty("ips") List<IpConfig> ips, @JsonProperty("routes") List<Route> routes, @JsonProperty("dns") Dns dns) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record IpConfig(
      @JsonProperty("version") int version,
      @JsonProperty("address") String address,
      @JsonProperty("ipPool") String ipPool,
      @JsonProperty("gateway") String gateway,
      @JsonProperty("nic") String nic,
      @JsonProperty("vlan") Long vlan,
      @JsonProperty("mac") String mac,
      @JsonProperty("enableGatewayDetection") boolean enableGatewayDetection,
      @JsonProperty("enableIPConflictDetection") boolean enableIPConflictDetection) {}

  public record Route(@JsonProperty("ifName") String ifName, @JsonProperty("dst") String dst, @JsonProperty("gw") String gw) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Dns(
      @JsonProperty("domain") String domain,
      @JsonProperty("nameservers") List<String> nameservers,
      @JsonProperty("options") List<String> options,
      @JsonProperty("search") List<String> search) {}

  public record IpamDelArgs(
      @JsonProperty("containerID") String containerID,
      @JsonProperty("ifName") String ifName,
      @JsonProperty("netNamespace") String netNamespace,
      @JsonProperty("podNamespace") String podNamespace,
      @JsonProperty("podName") String podName,
      @JsonProperty("podUID") String podUID) {}

  public record IpamBatchDelArgs(
      @JsonProperty("containerID") String containerID,
      @JsonProperty("netNamespace") String netNamespace,
      @JsonProperty("podNamespace") String podNamespace,
      @JsonProperty("podName") String podName,
      @JsonProperty("podUID") String podUID,
      @JsonProperty("isReleaseConflictIPs") boolean isReleaseConflictIPs) {}

  public record WorkloadEndpointStatus(
      @JsonProperty("podNamespace") String podNamespace,
      @JsonProperty("podName") String podName,
      @JsonProperty("podUID") String podUID,
      @JsonProperty("node") String node,
      @JsonProperty("interfaces") List<InterfaceDetail> interfaces) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record InterfaceDetail(
      @JsonProperty("interface") String nic,
      @JsonProperty("ipv4") String ipv4,
      @JsonProperty("ipv6") String ipv6,
      @JsonProperty("mac") String mac,
      @JsonProperty("vlan") Long vlan,
      @JsonProperty("ipv4Pool") String ipv4Pool,
      @JsonProperty("ipv6Pool") String ipv6Pool,
      @JsonProperty("ipv4Gateway") String ipv4Gateway,
      @JsonProperty("ipv6Gateway") String ipv6Gateway,
      @JsonProperty("routes") List<io.spidernet.spiderpool.api.v2beta1.Route> routes) {}

  public record GetCoordinatorArgs(@JsonProperty("podName") String podName, @JsonProperty("podNamespace") String podNamespace) {}

  /** The coordinator's view of the cluster; both CIDR lists always present ({@code []} when empty). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CoordinatorConfig(
      @JsonProperty("mode") String mode,
      @JsonProperty("overlayPodCIDR") List<String> overlayPodCIDR,
      @JsonProperty("serviceCIDR") List<String> serviceCIDR,
      @JsonProperty("hijackCIDR") List<String> hijackCIDR,
      @JsonProperty("policyRoutes") List<io.spidernet.spiderpool.api.v2beta1.Route> policyRoutes,
      @JsonProperty("podMACPrefix") String podMACPrefix,
      @JsonProperty("tunePodRoutes") boolean tunePodRoutes,
      @JsonProperty("podDefaultRouteNIC") String podDefaultRouteNIC,
      @JsonProperty("hostRuleTable") Integer hostRuleTable,
      @JsonProperty("podRPFilter") Integer podRPFilter,
      @JsonProperty("txQueueLen") Integer txQueueLen,
      @JsonProperty("vethLinkAddress") String vethLinkAddress,
      @JsonProperty("vethMTU") Integer vethMTU) {}
}
