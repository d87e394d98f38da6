package io.spidernet.spiderpool.api.v2beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** The allocation of one pod incarnation (identified by its UID) on one node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodIPAllocation {
  @Required public String uid;
  @Required public String node;
  @Required public List<IPAllocationDetail> ips;
}
