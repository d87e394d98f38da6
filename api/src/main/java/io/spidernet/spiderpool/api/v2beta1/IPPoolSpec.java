package io.spidernet.spiderpool.api.v2beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** Desired state of a SpiderIPPool (spec section 1.1). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IPPoolSpec {
  /** 4 or 6; inferred from {@link #subnet} when absent. */
  @SchemaFrom(type = Schemas.IPVersion.class)
  public Long ipVersion;
  @Required public String subnet;
  public List<String> ips;
  public List<String> excludeIPs;
  public String gateway;
  public List<Route> routes;
  @SchemaFrom(type = Schemas.LabelSelectorSchema.class)
  public LabelSelector podAffinity;
  @SchemaFrom(type = Schemas.LabelSelectorSchema.class)
  public LabelSelector namespaceAffinity;
  public List<String> namespaceName;
  @SchemaFrom(type = Schemas.LabelSelectorSchema.class)
  public LabelSelector nodeAffinity;
  public List<String> nodeName;
  public List<String> multusName;

  @JsonProperty("default")
  @Default("false")
  public Boolean defaultPool;

  @Default("false")
  public Boolean disable;
}
