# Sourced by cluster.sh and node.sh: the nodes' network of the cluster whose port base is $base.
# A bridge on the host holds .1 (where the API server listens when the cluster has real nodes);
# node i is .(10+i), in a network namespace of its own behind a veth whose node end is eth0.
node_net=$(( (base / 10) % 200 + 20 ))
node_prefix=198.18.$node_net
node_bridge=spj$base
node_gateway=$node_prefix.1
