package io.spidernet.spiderpool.api.nad;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The CNI configuration a Multus network attaches with. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkAttachmentDefinitionSpec {
  @JsonPropertyDescription("NetworkAttachmentDefinition config is a JSON-formatted CNI configuration")
  public String config;

  public NetworkAttachmentDefinitionSpec() {}

  public NetworkAttachmentDefinitionSpec(String config) {
    this.config = config;
  }
}
