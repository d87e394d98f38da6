package io.spidernet.spiderpool.api.v2beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import java.util.List;

/**
 * How the coordinator plugin tunes a pod's routes (spec section 1.6); the spec of a
 * SpiderCoordinator and the {@code coordinator} section of a SpiderMultusConfig.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CoordinatorSpec {
  /** {@code auto}, {@code underlay}, {@code overlay} or {@code disabled} ({@code disable} too). */
  @SchemaFrom(type = Schemas.CoordinatorMode.class)
  @Default("auto")
  public String mode;

  @SchemaFrom(type = Schemas.PodCIDRType.class)
  public String podCIDRType;
  public List<String> hijackCIDR;
  public List<Route> policyRoutes;
  public String podMACPrefix;

  @Default("true")
  public Boolean tunePodRoutes;

  public String podDefaultRouteNIC;

  @Default("500")
  public Integer hostRuleTable;

  @JsonProperty("podRPFilter")
  @Default("0")
  public Integer podRPFilter;

  @Default("0")
  public Integer txQueueLen;

  public String vethLinkAddress;

  @JsonProperty("vethMTU")
  @Min(1)
  public Integer vethMTU;
}
