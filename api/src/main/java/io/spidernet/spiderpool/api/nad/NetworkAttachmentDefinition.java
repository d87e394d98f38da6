package io.spidernet.spiderpool.api.nad;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Multus' NetworkAttachmentDefinition (Network Plumbing Working Group, {@code k8s.cni.cncf.io/v1}),
 * shipped by the chart and rendered from SpiderMultusConfigs.
 */
@Group("k8s.cni.cncf.io")
@Version("v1")
@Kind("NetworkAttachmentDefinition")
@Plural("network-attachment-definitions")
@Singular("network-attachment-definition")
@ShortNames("net-attach-def")
public class NetworkAttachmentDefinition extends CustomResource<NetworkAttachmentDefinitionSpec, Void>
    implements Namespaced {}
