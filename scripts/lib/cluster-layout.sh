# Sourced by the cluster's scripts (cluster.sh, node.sh, the quickstarts; $root set): where a
# cluster keeps its state and which ports and addresses it uses, all derived from SPJ_CLUSTER_DIR
# and SPJ_CLUSTER_PORT_BASE so that clusters side by side never collide.
dir=${SPJ_CLUSTER_DIR:-$root/.cluster}
base=${SPJ_CLUSTER_PORT_BASE:-16440}
pki=$dir/pki
etcd_port=$((base + 1))
etcd_peer_port=$((base + 2))
api_port=$((base + 3))
kcm_port=$((base + 4))
sched_port=$((base + 5))
# The nodes' network (scripts/node.sh): a bridge on the host holds .1, where the API server listens
# when the cluster has real nodes; node i is .(10+i), in a network namespace of its own behind a
# veth whose node end is eth0.
node_net=$(( (base / 10) % 200 + 20 ))
node_prefix=198.18.$node_net
node_bridge=spj$base
node_gateway=$node_prefix.1
