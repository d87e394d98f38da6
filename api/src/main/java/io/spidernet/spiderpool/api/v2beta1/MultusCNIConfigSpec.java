package io.spidernet.spiderpool.api.v2beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Default;
import java.util.List;

/** What NetworkAttachmentDefinition a SpiderMultusConfig renders (spec section 1.5). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MultusCNIConfigSpec {
  @JsonProperty("cniType")
  @SchemaFrom(type = Schemas.CniType.class)
  @Default("custom")
  public String cniType;

  public SpiderMacvlanCniConfig macvlan;
  public SpiderMacvlanCniConfig ipvlan;
  public SpiderVlanCniConfig vlan;
  public SpiderSRIOVCniConfig sriov;
  public SpiderIBSRIOVCniConfig ibsriov;
  public SpiderIPoIBCniConfig ipoib;
  public SpiderOvsCniConfig ovs;

  @Default("true")
  public Boolean enableCoordinator;

  @JsonProperty("disableIPAM")
  @Default("false")
  public Boolean disableIPAM;

  public CoordinatorSpec coordinator;

  @JsonProperty("chainCNIJsonData")
  public List<String> chainCNIJsonData;

  @JsonProperty("customCNI")
  public String customCNI;
}
