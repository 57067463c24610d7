package dev.kubani.tui.dao;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubani.kube.ClusterSnapshot;
import dev.kubani.kube.NodeRow;
import dev.kubani.kube.PodRow;
import dev.kubani.kube.Quantities;
import dev.kubani.kube.SampleCluster;
import dev.kubani.kube.ServiceRow;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/** The built-in SAMPLE cluster for {@code cluster-tui --demo}: no API server, usage that moves a little. */
public final class SampleSource implements ClusterSource {
    private static final ObjectMapper M = new ObjectMapper();
    private final SampleCluster sample = new SampleCluster(System.currentTimeMillis());

    @Override
    public ClusterSnapshot snapshot() {
        return sample.snapshot(System.currentTimeMillis());
    }

    @Override
    public long changes() {
        return sample.version();
    }

    @Override
    public void poll() {
        sample.tick();
    }

    @Override
    public void resync() {
        sample.tick();
    }

    @Override
    public void setVisibleNodes(Collection<String> names) {
        // all sample metrics are in memory
    }

    @Override
    public Optional<JsonNode> fetch(String kind, String namespace, String name) {
        ClusterSnapshot s = snapshot();
        switch (kind) {
            case "node":
                return s.nodes().stream().filter(n -> n.name().equals(name)).findFirst().map(SampleSource::nodeJson);
            case "service":
                return s.services().stream().filter(x -> x.name().equals(name) && x.namespace().equals(namespace)).findFirst()
                        .map(SampleSource::serviceJson);
            case "endpoints": {
                Optional<ServiceRow> svc = s.services().stream()
                        .filter(x -> x.name().equals(name) && x.namespace().equals(namespace)).findFirst();
                if (svc.isEmpty()) {
                    return Optional.empty();
                }
                ObjectNode ep = M.createObjectNode();
                ArrayNode addrs = ep.putArray("subsets").addObject().putArray("addresses");
                int i = 0;
                for (PodRow p : s.podsOf(svc.get())) {
                    if (p.healthy()) {
                        addrs.addObject().put("ip", "10.42.0." + (20 + i++)).put("nodeName", p.node())
                                .putObject("targetRef").put("kind", "Pod").put("name", p.name());
                    }
                }
                return Optional.of(ep);
            }
            default:
                return Optional.empty();
        }
    }

    private static JsonNode nodeJson(NodeRow n) {
        ObjectNode o = M.createObjectNode();
        ObjectNode md = o.putObject("metadata");
        md.put("name", n.name());
        ObjectNode labels = md.putObject("labels");
        labels.put("kubernetes.io/hostname", n.name());
        if ("control-plane".equals(n.role())) {
            labels.put("node-role.kubernetes.io/control-plane", "true");
        }
        if (n.workstation()) {
            labels.put("workstation", "true");
        }
        if (n.gpuLabel()) {
            labels.put("gpu", "true");
        }
        ArrayNode taints = o.putObject("spec").putArray("taints");
        for (String t : n.taints()) {
            String[] kv = t.split(":", 2);
            String[] k = kv[0].split("=", 2);
            taints.addObject().put("key", k[0]).put("value", k.length > 1 ? k[1] : "").put("effect", kv.length > 1 ? kv[1] : "");
        }
        ObjectNode st = o.putObject("status");
        ObjectNode cap = st.putObject("capacity");
        cap.put("cpu", (n.cpuMilli() / 1000) + "");
        cap.put("memory", Quantities.memory(n.memBytes()));
        cap.put("pods", "110");
        if (n.gpus() > 0) {
            cap.put("nvidia.com/gpu", n.gpus() + "");
        }
        st.set("allocatable", cap.deepCopy());
        ArrayNode conds = st.putArray("conditions");
        for (String c : new String[] {"MemoryPressure", "DiskPressure", "PIDPressure"}) {
            conds.addObject().put("type", c).put("status", "False").put("reason", "KubeletHasSufficient" + c.replace("Pressure", ""));
        }
        conds.addObject().put("type", "Ready").put("status", "Ready".equals(n.status()) ? "True" : "False")
                .put("reason", "Ready".equals(n.status()) ? "KubeletReady" : "KubeletNotReady")
                .put("lastHeartbeatTime", Instant.ofEpochSecond(n.heartbeat()).toString());
        st.putArray("addresses").addObject().put("type", "InternalIP").put("address", n.internalIp());
        st.putObject("nodeInfo").put("kubeletVersion", n.kubeletVersion());
        return o;
    }

    private static JsonNode serviceJson(ServiceRow s) {
        ObjectNode o = M.createObjectNode();
        o.putObject("metadata").put("name", s.name()).put("namespace", s.namespace());
        ObjectNode spec = o.putObject("spec");
        spec.put("type", s.type()).put("clusterIP", s.clusterIp());
        ArrayNode ports = spec.putArray("ports");
        for (String p : s.ports()) {
            String[] pp = p.split("/");
            ports.addObject().put("port", Integer.parseInt(pp[0].split(":")[0])).put("protocol", pp[1]);
        }
        ObjectNode sel = spec.putObject("selector");
        s.selector().forEach(sel::put);
        return o;
    }

    @Override
    public void setUnschedulable(String node, boolean unschedulable) {
        if (!sample.setUnschedulable(node, unschedulable)) {
            throw new IllegalArgumentException("no node " + node + " in the sample cluster");
        }
    }

    @Override
    public void close() {
        // nothing to release
    }
}
