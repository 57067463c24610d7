package dev.kubani.kube;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one pod straight from the parser: metadata and spec fields are read as tokens (no
 * tree); of the status, only the fields the row needs (reason, phase, container statuses) become a tree. Used for big pod lists; the result equals
 * {@link Decoders#pod(JsonNode)}.
 */
final class PodStream {
    private PodStream() {
    }

    /** The parser is on the pod's START_OBJECT; returns with it on the matching END_OBJECT. */
    static PodRow read(JsonParser p) throws IOException {
        String ns = "default";
        String name = "";
        String created = null;
        boolean deleting = false;
        List<String> labels = new ArrayList<>(4);
        String node = null;
        int containers = 0;
        int inits = 0;
        JsonNode status = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            if ("metadata".equals(f) && t == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String m = p.currentName();
                    JsonToken v = p.nextToken();
                    switch (m) {
                        case "name" -> name = p.getText();
                        case "namespace" -> ns = p.getText();
                        case "creationTimestamp" -> created = v == JsonToken.VALUE_NULL ? null : p.getText();
                        case "deletionTimestamp" -> deleting = v != JsonToken.VALUE_NULL;
                        case "labels" -> {
                            if (v == JsonToken.START_OBJECT) {
                                while (p.nextToken() == JsonToken.FIELD_NAME) {
                                    labels.add(p.currentName());
                                    p.nextToken();
                                    labels.add(p.getText());
                                }
                            }
                        }
                        default -> p.skipChildren();
                    }
                }
            } else if ("spec".equals(f) && t == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String m = p.currentName();
                    JsonToken v = p.nextToken();
                    if ("nodeName".equals(m)) {
                        node = v == JsonToken.VALUE_NULL ? null : p.getText();
                    } else if (("containers".equals(m) || "initContainers".equals(m)) && v == JsonToken.START_ARRAY) {
                        int n = 0;
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            p.skipChildren();
                            n++;
                        }
                        if ("containers".equals(m)) {
                            containers = n;
                        } else {
                            inits = n;
                        }
                    } else {
                        p.skipChildren();
                    }
                }
            } else if ("status".equals(f) && t == JsonToken.START_OBJECT) {
                // Only the fields Decoders.pod reads become a tree; conditions, IPs and the rest are skipped.
                com.fasterxml.jackson.databind.node.ObjectNode st = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                        .objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String m = p.currentName();
                    p.nextToken();
                    switch (m) {
                        case "reason", "phase", "initContainerStatuses", "containerStatuses" -> st.set(m, p.readValueAsTree());
                        default -> p.skipChildren();
                    }
                }
                status = st;
            } else {
                p.skipChildren();
            }
        }
        return Decoders.pod(ns, name, created, deleting, labels, node, containers, inits, status);
    }
}
