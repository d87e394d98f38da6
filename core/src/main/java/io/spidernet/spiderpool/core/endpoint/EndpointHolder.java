package io.spidernet.spiderpool.core.endpoint;

import io.spidernet.spiderpool.core.pod.TopController;

/**
 * Who a SpiderEndpoint is for (spec 1.4): the pod incarnation, or for a KubeVirt VM's launcher pod
 * the VirtualMachineInstance's name with the launcher pod's UID; its node and top controller.
 */
public record EndpointHolder(String namespace, String name, String uid, String node, TopController owner) {}
