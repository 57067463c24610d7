package dev.kubani.tui.render;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubani.kube.ClusterSnapshot;
import dev.kubani.kube.EventRow;
import dev.kubani.kube.PodRow;
import dev.kubani.kube.ServiceRow;
import java.util.ArrayList;
import java.util.List;

/** Detail screens as lines of cells, from the full object fetched on demand plus the snapshot's rows. */
public final class DetailRender {
    private DetailRender() {
    }

    public static List<List<Cell>> node(JsonNode n, ClusterSnapshot snap, long nowMs) {
        List<List<Cell>> out = new ArrayList<>();
        String name = n.path("metadata").path("name").asText();
        head(out, "Conditions");
        for (JsonNode c : n.path("status").path("conditions")) {
            String type = c.path("type").asText();
            String st = c.path("status").asText();
            boolean good = "Ready".equals(type) ? "True".equals(st) : "False".equals(st);
            out.add(List.of(Cell.of("  " + pad(type, 18)), Cell.of(pad(st, 8), good ? Tone.OK : Tone.BAD),
                    Cell.of(c.path("reason").asText("") + " " + c.path("message").asText(""), Tone.DIM)));
        }
        head(out, "Capacity / allocatable");
        JsonNode cap = n.path("status").path("capacity");
        JsonNode alloc = n.path("status").path("allocatable");
        cap.fieldNames().forEachRemaining(k -> out.add(List.of(Cell.of("  " + pad(k, 18) + pad(cap.path(k).asText(), 14)
                + alloc.path(k).asText("-")))));
        head(out, "Taints");
        if (n.path("spec").path("taints").isEmpty()) {
            line(out, "  (none)", Tone.DIM);
        }
        for (JsonNode t : n.path("spec").path("taints")) {
            String v = t.path("value").asText("");
            line(out, "  " + t.path("key").asText() + (v.isEmpty() ? "" : "=" + v) + ":" + t.path("effect").asText(), Tone.WARN);
        }
        head(out, "Labels");
        n.path("metadata").path("labels").fields().forEachRemaining(e -> line(out, "  " + e.getKey() + "=" + e.getValue().asText(),
                Tone.NORMAL));
        List<PodRow> pods = snap.podsOn(name);
        head(out, "Pods on " + name + " (" + pods.size() + ")");
        for (PodRow p : pods) {
            out.add(List.of(Cell.of("  " + pad(p.namespace(), 16) + pad(p.name(), 44)), Cell.of(pad(p.readyText(), 6)),
                    Cell.of(pad(p.status(), 18), PodRender.tone(p.status())), Cell.of("restarts " + p.restarts())));
        }
        return out;
    }

    public static List<List<Cell>> service(ServiceRow s, JsonNode svc, JsonNode endpoints, ClusterSnapshot snap) {
        List<List<Cell>> out = new ArrayList<>();
        line(out, "Type " + s.type() + "   ClusterIP " + s.clusterIp()
                + (s.loadBalancerIp() == null ? "" : "   LoadBalancer " + s.loadBalancerIp()), Tone.NORMAL);
        line(out, "Selector " + (s.selector().isEmpty() ? "(none)" : s.selector().toString()), Tone.NORMAL);
        head(out, "Ports");
        JsonNode ports = svc == null ? null : svc.path("spec").path("ports");
        if (ports == null || ports.isEmpty()) {
            for (String p : s.ports()) {
                line(out, "  " + p, Tone.NORMAL);
            }
        } else {
            for (JsonNode p : ports) {
                line(out, "  " + p.path("name").asText("-") + "  " + p.path("port").asInt() + "/" + p.path("protocol").asText("TCP")
                        + " -> " + p.path("targetPort").asText(p.path("port").asText())
                        + (p.hasNonNull("nodePort") ? "  nodePort " + p.path("nodePort").asInt() : ""), Tone.NORMAL);
            }
        }
        head(out, "Endpoints");
        int n = 0;
        if (endpoints != null) {
            for (JsonNode sub : endpoints.path("subsets")) {
                for (JsonNode a : sub.path("addresses")) {
                    line(out, "  " + a.path("ip").asText() + "  " + a.path("targetRef").path("name").asText("")
                            + "  on " + a.path("nodeName").asText("-"), Tone.OK);
                    n++;
                }
                for (JsonNode a : sub.path("notReadyAddresses")) {
                    line(out, "  " + a.path("ip").asText() + "  " + a.path("targetRef").path("name").asText("") + "  (not ready)",
                            Tone.WARN);
                    n++;
                }
            }
        }
        if (n == 0) {
            line(out, "  (none)", Tone.DIM);
        }
        List<PodRow> pods = snap.podsOf(s);
        head(out, "Pods (" + pods.size() + ")");
        for (PodRow p : pods) {
            out.add(List.of(Cell.of("  " + pad(p.name(), 44)), Cell.of(pad(p.readyText(), 6)),
                    Cell.of(pad(p.status(), 18), PodRender.tone(p.status())), Cell.of(p.node() == null ? "-" : p.node())));
        }
        return out;
    }

    public static List<List<Cell>> pod(PodRow p, long nowMs) {
        List<List<Cell>> out = new ArrayList<>();
        line(out, "Namespace  " + p.namespace(), Tone.NORMAL);
        out.add(List.of(Cell.of("Status     "), Cell.of(p.status(), PodRender.tone(p.status()))));
        line(out, "Ready      " + p.readyText() + "   restarts " + p.restarts(), Tone.NORMAL);
        line(out, "Node       " + (p.node() == null ? "(not scheduled)" : p.node()), Tone.NORMAL);
        line(out, "Age        " + Ages.sinceSeconds(p.created(), nowMs), Tone.NORMAL);
        head(out, "Labels");
        for (int i = 0; i + 1 < p.labels().length; i += 2) {
            line(out, "  " + p.labels()[i] + "=" + p.labels()[i + 1], Tone.NORMAL);
        }
        return out;
    }

    public static List<List<Cell>> event(EventRow e, long nowMs) {
        List<List<Cell>> out = new ArrayList<>();
        line(out, e.type() + "  " + e.reason() + "  " + Ages.sinceMillis(e.last(), nowMs) + " ago  (x" + e.count() + ")",
                e.warning() ? Tone.WARN : Tone.NORMAL);
        line(out, "Object  " + e.kind() + "/" + e.object() + (e.namespace().isEmpty() ? "" : " in " + e.namespace()), Tone.NORMAL);
        for (String l : wrap(e.message(), 100)) {
            line(out, l, Tone.NORMAL);
        }
        return out;
    }

    private static List<String> wrap(String s, int w) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.length(); i += w) {
            out.add(s.substring(i, Math.min(s.length(), i + w)));
        }
        return out;
    }

    private static void head(List<List<Cell>> out, String title) {
        out.add(List.of(Cell.of("")));
        out.add(List.of(Cell.of(title, Tone.SAMPLE)));
    }

    private static void line(List<List<Cell>> out, String text, Tone tone) {
        out.add(List.of(Cell.of(text, tone)));
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s + " " : s + " ".repeat(w - s.length());
    }
}
