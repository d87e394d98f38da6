package io.spidernet.spiderpool.api.v2beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** Observed state of the SpiderCoordinator: {@code Synced} or {@code NotReady}, and the CIDRs found. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CoordinatorStatus {
  @Required public String phase;
  public String reason;
  public List<String> overlayPodCIDR;
  public List<String> serviceCIDR;
}
