package io.spidernet.spiderpool.api.v2beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** The whole content of a SpiderEndpoint (it has no spec): the current allocation and its owner. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadEndpointStatus {
  @Required public PodIPAllocation current;
  @Required public String ownerControllerType;
  @Required public String ownerControllerName;
}
